// Snapshot JSON built by formula for the end-to-end tests, queries of what got stored, checks.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"

namespace traffic::tests {

using json = nlohmann::json;

/// The ingest routes.
inline const std::string single_path = "/api/v1/ingest/simulation";
inline const std::string batch_path = "/api/v1/ingest/batch";

/// Returns the summary route of one simulation.
std::string summary_path(const std::string& simulation_id);

/// Returns "2025-09-10T23:20:00Z" plus `seconds`, as RFC 3339 UTC ("...Z", no fraction).
std::string fixture_time(int seconds);

/// Returns the same instant as fixture_time(seconds), written at a +02:00 offset.
std::string fixture_time_plus_two_hours(int seconds);

/// The hand-computed fixture: intersections i = 0..2, ticks t = 0..19 (5 s apart), four
/// approaches each, every number a formula of (i, t, d) so the tests can state the summary in
/// closed form. Per snapshot (i, t), with d = 0..3 the approach index:
///   simulation "mode" "ai", "scenario" "rush_hour"; intersection_id "INT_00<i>";
///   timestamp = 23:20:00Z + 5 t s (intersection 2 writes it at +02:00);
///   approaches d = north, east, south, west; intersection 2 spells d = 0 "northeast"
///     (north_east), so north has i = 0, 1 only and north_east has i = 2 only;
///   avg_wait_time(d) = 5 + 2 d + i + 0.25 t;   vehicles_crossed(d) = d + i + t;
///   vehicle_counts(d) = {car: 10 + t, bus: d, truck: i, bike: 1, rickshaw: t % 2}, plus
///     {tram: 1} on intersection 0's north approach (an unknown class, which is kept);
///   emergency_vehicle_present = (t % 5 == 0 && d == 0); signal_status cycles by (t + d) % 3
///     through GREEN, yellow (lower case on purpose), RED; signal_timer = t % 7;
///     green_time_allocated = 20 + d;
///   avg_wait_time_all_sides = 10 + i + 0.5 t;  avg_speed = 20 + 2 i + 0.25 t;
///   throughput = 0.5 + 0.1 i + 0.01 t;  total_vehicles_passed = 100 + 10 i + t;
///   fuel_saved = 0.5 t - 2 i - 1 (negative early on);  co2_saved = 3 + 0.25 t - 1.5 i;
///   emergency_overrides = (t % 5 == 0) ? i + 1 : 0.
struct hand_fixture {
  static constexpr int intersections = 3;
  static constexpr int ticks = 20;
  static constexpr int approaches = 4;
  static constexpr int tick_seconds = 5;

  /// Returns snapshot (i, t) of `simulation_id`.
  static json snapshot(const std::string& simulation_id, int i, int t);

  /// Returns every snapshot, tick by tick (t outer, i inner).
  static std::vector<json> all(const std::string& simulation_id);
};

/// Returns a small valid snapshot with one approach; its key is (simulation_id,
/// intersection_id, fixture_time(second)). `wait` goes into both wait fields.
json simple_snapshot(const std::string& simulation_id, const std::string& intersection_id,
                     int second, double wait = 12.5);

/// Returns the items as one JSON array text.
std::string to_array_text(const std::vector<json>& items);

/// Returns the items as NDJSON (one compact document per line).
std::string to_ndjson(const std::vector<json>& items);

/// Returns the number of rows of performance_metrics (one per stored snapshot) in the database
/// at `url`; with a simulation id, only that simulation's.
std::int64_t stored_snapshots(const std::string& url, const std::string& simulation_id = {});

/// Returns intersection_id -> rows of performance_metrics for one simulation.
std::map<std::string, std::int64_t> stored_per_intersection(const std::string& url,
                                                            const std::string& simulation_id);

// Checks of answers, as GoogleTest assertions (a failed check fails the running test).

/// Returns the body parsed as JSON; a body that is not JSON fails the test and gives null.
json body_of(const http_response& r);

/// Checks an ingest answer: the status, {"stored":stored,"duplicates":duplicates} and the
/// X-Request-ID and X-Process-Time headers.
void expect_ack(const http_response& r, unsigned status, std::int64_t stored,
                std::int64_t duplicates);

/// Checks an error answer: the status, the one error shape
/// {"error":{"code","message","details":[..]},"request_id"} with this code, a request_id equal
/// to the X-Request-ID header, and the X-Process-Time header.
void expect_error(const http_response& r, unsigned status, const std::string& code);

/// Returns the error detail whose path is `path`, or null when there is none.
json find_detail(const http_response& r, const std::string& path);

/// Checks that an error names `path` in a detail with a message and, when `index` is not
/// negative, with "index": index (batch items).
void expect_detail(const http_response& r, const std::string& path, int index = -1);

/// Checks that `value` is a number within a relative 1e-9 of `expected`.
void expect_close(const json& value, double expected, const std::string& name);

} // namespace traffic::tests
