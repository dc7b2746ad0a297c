// Snapshot JSON built by formula for the end-to-end tests, queries of what got stored, checks.
#include "tests/support/fixtures.hpp"

#include <cmath>
#include <ctime>
#include <stdexcept>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace traffic::tests {

namespace {

/// 2025-09-10T23:20:00Z as seconds since the epoch.
std::time_t fixture_base() {
  std::tm tm{};
  tm.tm_year = 2025 - 1900;
  tm.tm_mon = 8;
  tm.tm_mday = 10;
  tm.tm_hour = 23;
  tm.tm_min = 20;
  return ::timegm(&tm);
}

std::string format_utc(std::time_t t, const char* zone) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string{text} + zone;
}

const char* const approach_names[hand_fixture::approaches] = {"north", "east", "south", "west"};

} // namespace

std::string fixture_time(int seconds) {
  return format_utc(fixture_base() + seconds, "Z");
}

std::string fixture_time_plus_two_hours(int seconds) {
  return format_utc(fixture_base() + seconds + 2 * 3600, "+02:00");
}

json hand_fixture::snapshot(const std::string& simulation_id, int i, int t) {
  json signals = json::array();
  for (int d = 0; d < approaches; ++d) {
    std::string name = approach_names[d];
    if (i == 2 && d == 0)
      name = "northeast";
    json counts = {{"car", 10 + t}, {"bus", d}, {"truck", i}, {"bike", 1}, {"rickshaw", t % 2}};
    if (i == 0 && d == 0)
      counts["tram"] = 1;
    static const char* const statuses[] = {"GREEN", "yellow", "RED"};
    signals.push_back({
        {"direction", name},
        {"vehicle_counts", counts},
        {"emergency_vehicle_present", t % 5 == 0 && d == 0},
        {"signal_status", statuses[(t + d) % 3]},
        {"signal_timer", t % 7},
        {"vehicles_crossed", d + i + t},
        {"avg_wait_time", 5.0 + 2.0 * d + i + 0.25 * t},
        {"green_time_allocated", 20 + d},
    });
  }
  int second = tick_seconds * t;
  return {
      {"simulation_id", simulation_id},
      {"timestamp", i == 2 ? fixture_time_plus_two_hours(second) : fixture_time(second)},
      {"intersection_id", "INT_00" + std::to_string(i)},
      {"mode", "ai"},
      {"scenario", "rush_hour"},
      {"signals", signals},
      {"metrics",
       {
           {"total_vehicles_passed", 100 + 10 * i + t},
           {"avg_wait_time_all_sides", 10.0 + i + 0.5 * t},
           {"throughput", 0.5 + 0.1 * i + 0.01 * t},
           {"avg_speed", 20.0 + 2.0 * i + 0.25 * t},
           {"fuel_saved", 0.5 * t - 2.0 * i - 1.0},
           {"co2_saved", 3.0 + 0.25 * t - 1.5 * i},
           {"emergency_overrides", t % 5 == 0 ? i + 1 : 0},
       }},
  };
}

std::vector<json> hand_fixture::all(const std::string& simulation_id) {
  std::vector<json> out;
  for (int t = 0; t < ticks; ++t)
    for (int i = 0; i < intersections; ++i)
      out.push_back(snapshot(simulation_id, i, t));
  return out;
}

json simple_snapshot(const std::string& simulation_id, const std::string& intersection_id,
                     int second, double wait) {
  return {
      {"simulation_id", simulation_id},
      {"timestamp", fixture_time(second)},
      {"intersection_id", intersection_id},
      {"signals",
       {{
           {"direction", "north"},
           {"vehicle_counts", {{"car", 7}, {"bus", 1}, {"truck", 0}, {"bike", 2}, {"rickshaw", 0}}},
           {"emergency_vehicle_present", false},
           {"signal_status", "GREEN"},
           {"signal_timer", 18},
           {"vehicles_crossed", 5},
           {"avg_wait_time", wait},
           {"green_time_allocated", 20},
       }}},
      {"metrics",
       {
           {"total_vehicles_passed", 5},
           {"avg_wait_time_all_sides", wait},
           {"throughput", 0.5},
           {"avg_speed", 30.0},
           {"fuel_saved", 0.25},
           {"co2_saved", 0.5},
           {"emergency_overrides", 0},
       }},
  };
}

std::string to_array_text(const std::vector<json>& items) {
  return json(items).dump();
}

std::string to_ndjson(const std::vector<json>& items) {
  std::string out;
  for (const auto& item : items)
    out += item.dump() + "\n";
  return out;
}

std::int64_t stored_snapshots(const std::string& url, const std::string& simulation_id) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  auto row =
      simulation_id.empty()
          ? tx.exec1("SELECT count(*) FROM performance_metrics")
          : tx.exec_params1("SELECT count(*) FROM performance_metrics WHERE simulation_id = $1",
                            simulation_id);
  return row[0].as<std::int64_t>();
}

std::map<std::string, std::int64_t> stored_per_intersection(const std::string& url,
                                                            const std::string& simulation_id) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params("SELECT intersection_id, count(*) FROM performance_metrics "
                             "WHERE simulation_id = $1 GROUP BY intersection_id",
                             simulation_id);
  std::map<std::string, std::int64_t> out;
  for (const auto& row : rows)
    out[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  return out;
}

std::string summary_path(const std::string& simulation_id) {
  return "/api/v1/analytics/simulation/" + simulation_id + "/summary";
}

json body_of(const http_response& r) {
  try {
    return r.json();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "body is not JSON (" << e.what() << "): " << r.body;
    return json{};
  }
}

void expect_ack(const http_response& r, unsigned status, std::int64_t stored,
                std::int64_t duplicates) {
  EXPECT_EQ(r.status, status) << r.body;
  auto body = body_of(r);
  EXPECT_EQ(body.value("stored", std::int64_t{-1}), stored) << r.body;
  EXPECT_EQ(body.value("duplicates", std::int64_t{-1}), duplicates) << r.body;
  EXPECT_FALSE(r.header("X-Request-ID").empty());
  EXPECT_TRUE(r.has_header("X-Process-Time"));
}

void expect_error(const http_response& r, unsigned status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_NE(r.header("Content-Type").find("application/json"), std::string::npos)
      << "Content-Type: " << r.header("Content-Type");
  auto body = body_of(r);
  ASSERT_TRUE(body.is_object() && body.contains("error") && body["error"].is_object()) << r.body;
  const auto& error = body["error"];
  EXPECT_EQ(error.value("code", ""), code) << r.body;
  EXPECT_TRUE(error.contains("message") && error["message"].is_string() &&
              !error["message"].get<std::string>().empty())
      << r.body;
  EXPECT_TRUE(error.contains("details") && error["details"].is_array()) << r.body;
  EXPECT_FALSE(r.header("X-Request-ID").empty());
  EXPECT_EQ(body.value("request_id", ""), r.header("X-Request-ID")) << r.body;
  EXPECT_TRUE(r.has_header("X-Process-Time"));
}

json find_detail(const http_response& r, const std::string& path) {
  auto body = body_of(r);
  if (!body.contains("error") || !body["error"].contains("details"))
    return nullptr;
  for (const auto& d : body["error"]["details"])
    if (d.value("path", "") == path)
      return d;
  return nullptr;
}

void expect_detail(const http_response& r, const std::string& path, int index) {
  auto d = find_detail(r, path);
  ASSERT_FALSE(d.is_null()) << "no detail with path " << path << " in " << r.body;
  EXPECT_TRUE(d.contains("message") && d["message"].is_string() &&
              !d["message"].get<std::string>().empty())
      << d.dump();
  if (index >= 0) {
    EXPECT_EQ(d.value("index", -1), index) << d.dump();
  }
}

void expect_close(const json& value, double expected, const std::string& name) {
  ASSERT_TRUE(value.is_number()) << name << " is " << value.dump();
  // Relative: sums and means of the same doubles may differ in the last bits between the
  // server's SQL and the test's closed form. An expected zero must be (nearly) exact.
  double tolerance = expected == 0.0 ? 1e-12 : 1e-9 * std::fabs(expected);
  EXPECT_NEAR(value.get<double>(), expected, tolerance) << name;
}

} // namespace traffic::tests
