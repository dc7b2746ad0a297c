// The HTTP counters and the Prometheus text they render, checked line by line.
#include "http/http_metrics.hpp"

#include <gtest/gtest.h>

namespace {

using traffic::http::http_metrics;
using traffic::http::prometheus_label;
using traffic::http::prometheus_number;

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(HttpMetrics, CountsByRouteMethodAndStatus) {
  http_metrics m{{"/health", "/api/v1/ingest/batch"}};
  m.record(0, "GET", 200, 0.0002);
  m.record(0, "GET", 200, 0.003);
  m.record(1, "POST", 201, 0.02);
  m.record(1, "POST", 503, 0.0004);
  m.record(m.unmatched(), "BREW", 404, 0.0001);
  m.record(99, "GET", 299, 0.0001); // out of range: unmatched, status other
  std::string out;
  m.render(out);
  EXPECT_TRUE(
      has_line(out, R"(traffic_http_requests_total{route="/health",method="GET",status="200"} 2)"));
  EXPECT_TRUE(has_line(
      out,
      R"(traffic_http_requests_total{route="/api/v1/ingest/batch",method="POST",status="201"} 1)"));
  EXPECT_TRUE(has_line(
      out,
      R"(traffic_http_requests_total{route="/api/v1/ingest/batch",method="POST",status="503"} 1)"));
  EXPECT_TRUE(has_line(
      out, R"(traffic_http_requests_total{route="unmatched",method="other",status="404"} 1)"));
  EXPECT_TRUE(has_line(
      out, R"(traffic_http_requests_total{route="unmatched",method="GET",status="other"} 1)"));
  EXPECT_EQ(out.find("status=\"500\""), std::string::npos) << "unseen label sets are left out";
}

TEST(HttpMetrics, WritesCumulativeLatencyBuckets) {
  http_metrics m{{"/health"}};
  m.record(0, "GET", 200, 0.0005); // on a bound: in that bucket
  m.record(0, "GET", 200, 0.003);
  m.record(0, "GET", 200, 30);
  std::string out;
  m.render(out);
  const std::string prefix =
      R"(traffic_http_request_duration_seconds_bucket{route="/health",method="GET",)";
  EXPECT_TRUE(has_line(out, prefix + R"(le="0.0005"} 1)"));
  EXPECT_TRUE(has_line(out, prefix + R"(le="0.0025"} 1)"));
  EXPECT_TRUE(has_line(out, prefix + R"(le="0.005"} 2)"));
  EXPECT_TRUE(has_line(out, prefix + R"(le="10"} 2)"));
  EXPECT_TRUE(has_line(out, prefix + R"(le="+Inf"} 3)"));
  EXPECT_TRUE(has_line(
      out, R"(traffic_http_request_duration_seconds_count{route="/health",method="GET"} 3)"));
  EXPECT_TRUE(has_line(
      out, R"(traffic_http_request_duration_seconds_sum{route="/health",method="GET"} 30.0035)"));
}

TEST(PrometheusText, EscapesLabelsAndWritesShortNumbers) {
  EXPECT_EQ(prometheus_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(prometheus_number(0.0005), "0.0005");
  EXPECT_EQ(prometheus_number(1), "1");
  EXPECT_EQ(prometheus_number(0.1 + 0.2), "0.30000000000000004");
}

} // namespace
