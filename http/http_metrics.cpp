// Request counts and latency histograms per route, method and status, for GET /metrics.
#include "http/http_metrics.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace traffic::http {

namespace {

constexpr std::array<std::string_view, 8> method_names{"GET",     "POST", "PUT",   "DELETE",
                                                       "OPTIONS", "HEAD", "PATCH", "other"};

/// Every status the server answers with; anything else is counted as "other".
constexpr std::array<unsigned, 21> status_codes{200, 201, 204, 400, 401, 403, 404,
                                                405, 408, 411, 413, 415, 422, 429,
                                                431, 500, 501, 503, 504, 505, 100};

} // namespace

std::string prometheus_number(double value) {
  // The shortest of 15 or 17 digits that reads back as the same double: 0.0005, not
  // 0.00050000000000000001.
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  if (std::strtod(text, nullptr) != value)
    std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string prometheus_label(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

const std::vector<double>& http_metrics::latency_bounds() {
  static const std::vector<double> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return bounds;
}

http_metrics::http_metrics(std::vector<std::string> routes)
    : routes_{std::move(routes)}, methods_{method_names.size()}, statuses_{status_codes.size() + 1},
      buckets_{latency_bounds().size() + 1} {
  auto slots = (routes_.size() + 1) * methods_;
  // value-initialised: every counter starts at zero.
  requests_ = std::make_unique<std::atomic<std::uint64_t>[]>(slots * statuses_);
  latency_ = std::make_unique<std::atomic<std::uint64_t>[]>(slots * buckets_);
  latency_ns_ = std::make_unique<std::atomic<std::uint64_t>[]>(slots);
}

std::size_t http_metrics::method_slot(std::string_view method) const noexcept {
  for (std::size_t i = 0; i + 1 < method_names.size(); ++i)
    if (method_names[i] == method)
      return i;
  return method_names.size() - 1;
}

std::size_t http_metrics::status_slot(unsigned status) const noexcept {
  for (std::size_t i = 0; i < status_codes.size(); ++i)
    if (status_codes[i] == status)
      return i;
  return status_codes.size();
}

void http_metrics::record(std::size_t route, std::string_view method, unsigned status,
                          double seconds) noexcept {
  route = std::min(route, unmatched());
  auto slot = route * methods_ + method_slot(method);
  requests_[slot * statuses_ + status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  const auto& bounds = latency_bounds();
  auto bucket = static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                                         bounds.begin());
  latency_[slot * buckets_ + bucket].fetch_add(1, std::memory_order_relaxed);
  auto ns = seconds > 0 ? static_cast<std::uint64_t>(seconds * 1e9) : 0;
  latency_ns_[slot].fetch_add(ns, std::memory_order_relaxed);
}

void http_metrics::render(std::string& out) const {
  auto route_label = [&](std::size_t route) {
    return route < routes_.size() ? prometheus_label(routes_[route]) : std::string{"unmatched"};
  };
  out += "# HELP traffic_http_requests_total HTTP requests answered, by route template, method "
         "and status.\n# TYPE traffic_http_requests_total counter\n";
  for (std::size_t route = 0; route <= routes_.size(); ++route)
    for (std::size_t method = 0; method < methods_; ++method)
      for (std::size_t status = 0; status < statuses_; ++status) {
        auto n = requests_[(route * methods_ + method) * statuses_ + status].load(
            std::memory_order_relaxed);
        if (n == 0)
          continue;
        auto code = status < status_codes.size() ? std::to_string(status_codes[status])
                                                 : std::string{"other"};
        out += "traffic_http_requests_total{route=\"" + route_label(route) + "\",method=\"" +
               std::string{method_names[method]} + "\",status=\"" + code + "\"} " +
               std::to_string(n) + "\n";
      }
  out += "# HELP traffic_http_request_duration_seconds Time from a request's last byte read to "
         "its answer, by route template and method.\n"
         "# TYPE traffic_http_request_duration_seconds histogram\n";
  const auto& bounds = latency_bounds();
  for (std::size_t route = 0; route <= routes_.size(); ++route)
    for (std::size_t method = 0; method < methods_; ++method) {
      auto slot = route * methods_ + method;
      // Read the buckets once: the count must equal the +Inf bucket even while others record.
      std::vector<std::uint64_t> counts(buckets_);
      std::uint64_t total = 0;
      for (std::size_t b = 0; b < buckets_; ++b)
        total += counts[b] = latency_[slot * buckets_ + b].load(std::memory_order_relaxed);
      if (total == 0)
        continue;
      auto labels = "route=\"" + route_label(route) + "\",method=\"" +
                    std::string{method_names[method]} + "\"";
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b < buckets_; ++b) {
        cumulative += counts[b];
        auto le = b < bounds.size() ? prometheus_number(bounds[b]) : std::string{"+Inf"};
        out += "traffic_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
               std::to_string(cumulative) + "\n";
      }
      auto seconds = static_cast<double>(latency_ns_[slot].load(std::memory_order_relaxed)) / 1e9;
      out += "traffic_http_request_duration_seconds_sum{" + labels + "} " +
             prometheus_number(seconds) + "\n";
      out += "traffic_http_request_duration_seconds_count{" + labels + "} " +
             std::to_string(total) + "\n";
    }
}

} // namespace traffic::http
