// Test base of the analytics end-to-end tests: one database and one server per test suite,
// loaded once with tests/fixtures/analytics.ndjson, and checks of the answers' JSON shapes.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace traffic::tests {

/// The admin token of the suite's server, for POST /api/v1/admin/clear-cache.
inline const std::string analytics_admin_token = "analytics-admin-token-0123456789";

/// Returns the instant of tick k of the data set (2025-09-10T07:55:00Z + k min; k may lie
/// outside 0..9, down to -475) as RFC 3339 text, as the server writes it.
inline std::string tick_time(int k) {
  const int seconds = 7 * 3600 + 55 * 60 + 60 * k; // since midnight
  char text[32];
  std::snprintf(text, sizeof text, "2025-09-10T%02d:%02d:%02dZ", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  return text;
}

/// Returns the text of tests/fixtures/<name>, or "" when it can't be read.
inline std::string read_fixture_file(const std::string& name) {
  std::ifstream in{std::string{TRAFFIC_FIXTURE_DIR} + "/" + name, std::ios::binary};
  if (!in)
    return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Checks that `value` is an object whose keys are exactly `keys`.
inline void expect_keys(const json& value, const std::set<std::string>& keys,
                        const std::string& what) {
  ASSERT_TRUE(value.is_object()) << what << " is " << value.dump();
  std::set<std::string> got;
  for (const auto& item : value.items())
    got.insert(item.key());
  EXPECT_EQ(got, keys) << what << ": " << value.dump();
}

/// Checks that `value` is a number within `tolerance` (absolute) of `expected`.
inline void expect_near(const json& value, double expected, double tolerance,
                        const std::string& name) {
  ASSERT_TRUE(value.is_number()) << name << " is " << value.dump();
  EXPECT_NEAR(value.get<double>(), expected, tolerance) << name;
}

/// Checks that `value` is an integer equal to `expected` (counts are never written as 1.0).
inline void expect_count(const json& value, std::int64_t expected, const std::string& name) {
  ASSERT_TRUE(value.is_number_integer()) << name << " is " << value.dump();
  EXPECT_EQ(value.get<std::int64_t>(), expected) << name;
}

/// The figures of one distribution (wait-times, speeds), as tests/fixtures/README.md gives them.
struct expected_distribution {
  std::int64_t samples;
  double mean, min, p50, p95, max;
};

/// Checks a distribution object: exactly samples, mean, min, p50, p95 and max (plus "key" when
/// `key` is not empty), with these values.
inline void expect_distribution(const json& d, const expected_distribution& e,
                                const std::string& key = {}) {
  SCOPED_TRACE(key.empty() ? "overall" : key);
  std::set<std::string> keys{"samples", "mean", "min", "p50", "p95", "max"};
  if (!key.empty()) {
    keys.insert("key");
    EXPECT_EQ(d.value("key", ""), key);
  }
  expect_keys(d, keys, "distribution");
  expect_count(d["samples"], e.samples, "samples");
  expect_close(d["mean"], e.mean, "mean");
  expect_close(d["min"], e.min, "min");
  expect_close(d["p50"], e.p50, "p50");
  expect_close(d["p95"], e.p95, "p95");
  expect_close(d["max"], e.max, "max");
}

/// An empty match: every figure 0.
inline const expected_distribution no_samples{0, 0, 0, 0, 0, 0};

/// One database and one server per test suite, the data set posted once (97 snapshots of five
/// runs, see tests/fixtures/README.md). Tests only read, except that the cache tests clear the
/// cache. A fixture that fails to set up fails every test of the suite with the reason.
class analytics_suite : public testing::Test {
 public:
  static void SetUpTestSuite() { setup_error() = load(); }

  static void TearDownTestSuite() {
    client().reset();
    if (server())
      server()->stop();
    server().reset();
    database().reset();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error().empty()) << setup_error(); }

  /// Sends GET `target` to the suite's server.
  static http_response get(const std::string& target) { return client()->get(target); }

  /// GETs `target`, checks a 200 JSON answer with the request headers, returns its body.
  static json get_ok(const std::string& target) {
    auto r = get(target);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    EXPECT_NE(r.header("Content-Type").find("application/json"), std::string::npos) << target;
    EXPECT_FALSE(r.header("X-Request-ID").empty()) << target;
    EXPECT_TRUE(r.has_header("X-Process-Time")) << target;
    return body_of(r);
  }

  /// Clears the server's answer cache (the admin route).
  static void clear_cache() {
    auto r = client()->post("/api/v1/admin/clear-cache", "", "",
                            {{"Authorization", "Bearer " + analytics_admin_token}});
    ASSERT_EQ(r.status, 200u) << r.body;
  }

  static std::unique_ptr<http_client>& client() {
    static std::unique_ptr<http_client> instance;
    return instance;
  }

 private:
  static std::unique_ptr<test_database>& database() {
    static std::unique_ptr<test_database> instance;
    return instance;
  }

  static std::unique_ptr<server_process>& server() {
    static std::unique_ptr<server_process> instance;
    return instance;
  }

  static std::string& setup_error() {
    static std::string text;
    return text;
  }

  /// Starts the database and the server and posts the data set; returns why that failed, or "".
  static std::string load() {
    try {
      database() = std::make_unique<test_database>();
    } catch (const std::exception& e) {
      return std::string{"no test database: "} + e.what();
    }
    server() = std::make_unique<server_process>(database()->url(),
                                                env_map{{"ADMIN_TOKEN", analytics_admin_token}});
    std::string error;
    if (!server()->start(&error))
      return "the server did not start: " + error;
    client() = std::make_unique<http_client>(server()->port());
    const auto ndjson = read_fixture_file("analytics.ndjson");
    if (ndjson.empty())
      return "cannot read " TRAFFIC_FIXTURE_DIR "/analytics.ndjson";
    const auto r = client()->post(batch_path, ndjson, "application/x-ndjson");
    const json ack = json::parse(r.body, nullptr, false);
    if (r.status != 201 || ack != json{{"stored", 97}, {"duplicates", 0}})
      return "loading the data set gave " + std::to_string(r.status) + " " + r.body;
    return {};
  }
};

} // namespace traffic::tests
