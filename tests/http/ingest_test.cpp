// End-to-end tests of ingest, the simulation summary and the error answers, on a real server.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using traffic::tests::batch_path;
using traffic::tests::body_of;
using traffic::tests::env_map;
using traffic::tests::expect_ack;
using traffic::tests::expect_close;
using traffic::tests::expect_detail;
using traffic::tests::expect_error;
using traffic::tests::hand_fixture;
using traffic::tests::http_client;
using traffic::tests::http_response;
using traffic::tests::json;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_snapshots;
using traffic::tests::summary_path;
using traffic::tests::test_database;
using traffic::tests::to_array_text;
using traffic::tests::to_ndjson;

/// Checks every field of the summary of the hand fixture (tests/support/fixtures.hpp) against
/// values worked out by hand in closed form. Over the 60 snapshots (i = 0..2, t = 0..19),
/// the mean of a + b i + c t is a + b mean(i) + c mean(t), with mean(i) = 1 and
/// mean(t) = 9.5; sum(t) = 190 over one intersection's ticks, sum(i) = 3 over one tick.
void expect_hand_fixture_summary(const json& s, const std::string& simulation_id) {
  for (const char* key :
       {"simulation_id", "mode", "scenario", "intersections", "snapshots", "first_timestamp",
        "last_timestamp", "duration_seconds", "mean_wait_time", "mean_speed", "mean_throughput",
        "total_vehicles_passed", "fuel_saved_total", "co2_saved_total", "emergency_overrides",
        "directions", "vehicle_class_mix"})
    ASSERT_TRUE(s.contains(key)) << "summary lacks " << key << ": " << s.dump();
  EXPECT_EQ(s["simulation_id"], simulation_id);
  EXPECT_EQ(s["mode"], "ai");
  EXPECT_EQ(s["scenario"], "rush_hour");
  EXPECT_EQ(s["intersections"], 3);
  // 3 intersections x 20 ticks.
  EXPECT_EQ(s["snapshots"], 60);
  // Tick 0 is 23:20:00Z; tick 19 is 19 x 5 s = 95 s later. Intersection 2 wrote its times at
  // +02:00, which must not move them.
  EXPECT_EQ(s["first_timestamp"], "2025-09-10T23:20:00Z");
  EXPECT_EQ(s["last_timestamp"], "2025-09-10T23:21:35Z");
  expect_close(s["duration_seconds"], 95.0, "duration_seconds");
  // avg_wait_time_all_sides = 10 + i + 0.5 t: 10 + 1 + 0.5 x 9.5 = 15.75.
  expect_close(s["mean_wait_time"], 15.75, "mean_wait_time");
  // avg_speed = 20 + 2 i + 0.25 t: 20 + 2 + 0.25 x 9.5 = 24.375.
  expect_close(s["mean_speed"], 24.375, "mean_speed");
  // throughput = 0.5 + 0.1 i + 0.01 t: 0.5 + 0.1 + 0.095 = 0.695.
  expect_close(s["mean_throughput"], 0.695, "mean_throughput");
  // total_vehicles_passed = 100 + 10 i + t: 60 x 100 + 10 x 20 x 3 + 3 x 190 = 7170.
  EXPECT_EQ(s["total_vehicles_passed"], 7170);
  // fuel_saved = 0.5 t - 2 i - 1: 0.5 x 3 x 190 - 2 x 20 x 3 - 60 = 285 - 120 - 60 = 105.
  expect_close(s["fuel_saved_total"], 105.0, "fuel_saved_total");
  // co2_saved = 3 + 0.25 t - 1.5 i: 60 x 3 + 0.25 x 3 x 190 - 1.5 x 20 x 3 = 232.5.
  expect_close(s["co2_saved_total"], 232.5, "co2_saved_total");
  // emergency_overrides = i + 1 on ticks 0, 5, 10, 15: 4 x (1 + 2 + 3) = 24.
  EXPECT_EQ(s["emergency_overrides"], 24);

  // Per approach d: avg_wait_time = 5 + 2 d + i + 0.25 t and vehicles_crossed = d + i + t.
  // With n intersections of index sum S on that approach: samples = 20 n,
  // mean wait = 5 + 2 d + S / n + 0.25 x 9.5, crossed = 20 n d + 20 S + 190 n.
  //
  // Green time: green_time_allocated = 20 + d, so the run's total is 60 snapshots x (20 + 21 +
  // 22 + 23) = 5160 s and an approach's share is samples x (20 + d) / 5160. GREEN shows when
  // (t + d) % 3 == 0: for d = 0 and 3 on t = 0, 3, .., 18 (7 of 20 ticks), for d = 1 on
  // t = 2, 5, .., 17 (6 of 20), for d = 2 on t = 1, 4, .., 19 (7 of 20).
  struct expected_direction {
    const char* name;
    std::int64_t samples;
    double mean_wait;
    std::int64_t crossed;
    std::int64_t green_time;
    double green_status_share;
  };
  const expected_direction directions[] = {
      // d = 0 on i = 0, 1 (n = 2, S = 1): 5 + 0.5 + 2.375; 0 + 20 + 380; 40 x 20.
      {"north", 40, 7.875, 400, 800, 0.35},
      // d = 0 on i = 2, spelt "northeast" (n = 1, S = 2): 5 + 2 + 2.375; 0 + 40 + 190; 20 x 20.
      {"north_east", 20, 9.375, 230, 400, 0.35},
      // d = 1, 2, 3 on every intersection (n = 3, S = 3): 5 + 2 d + 1 + 2.375;
      // 60 d + 60 + 570; 60 x (20 + d).
      {"east", 60, 10.375, 690, 1260, 0.30},
      {"south", 60, 12.375, 750, 1320, 0.35},
      {"west", 60, 14.375, 810, 1380, 0.35},
  };
  const auto& got = s["directions"];
  ASSERT_TRUE(got.is_array()) << got.dump();
  ASSERT_EQ(got.size(), std::size(directions)) << got.dump();
  for (std::size_t k = 0; k < std::size(directions); ++k) {
    SCOPED_TRACE("directions[" + std::to_string(k) + "] = " + got[k].dump());
    EXPECT_EQ(got[k].value("direction", ""), directions[k].name);
    EXPECT_EQ(got[k].value("samples", std::int64_t{-1}), directions[k].samples);
    expect_close(got[k].value("mean_wait_time", json{}), directions[k].mean_wait, "mean_wait_time");
    EXPECT_EQ(got[k].value("vehicles_crossed", std::int64_t{-1}), directions[k].crossed);
    EXPECT_EQ(got[k].value("green_time_allocated", std::int64_t{-1}), directions[k].green_time);
    expect_close(got[k].value("green_time_share", json{}), directions[k].green_time / 5160.0,
                 "green_time_share");
    expect_close(got[k].value("green_status_share", json{}), directions[k].green_status_share,
                 "green_status_share");
  }

  // Sums over all 240 approach rows (3 i x 20 t x 4 d):
  //   car 10 + t: 12 x (20 x 10 + 190) = 4680;  bus d: 60 x (0 + 1 + 2 + 3) = 360;
  //   truck i: 80 x (0 + 1 + 2) = 240;  bike 1: 240;  rickshaw t % 2: 12 x 10 = 120;
  //   tram: 1 on intersection 0's north approach only: 20.
  const std::map<std::string, std::int64_t> mix{{"bike", 240},     {"bus", 360}, {"car", 4680},
                                                {"rickshaw", 120}, {"tram", 20}, {"truck", 240}};
  ASSERT_TRUE(s["vehicle_class_mix"].is_object()) << s["vehicle_class_mix"].dump();
  EXPECT_EQ(s["vehicle_class_mix"].get<decltype(mix)>(), mix) << s["vehicle_class_mix"].dump();
}

/// A fresh database and a fresh server on a free port for every test.
class IngestApi : public testing::Test {
 protected:
  /// Variables a derived fixture wants to set on the server.
  virtual env_map server_env() const { return {}; }

  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url(), server_env());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  http_response post_json(const std::string& path, const json& body) {
    return client_->post(path, body.dump(), "application/json");
  }

  std::int64_t stored() { return stored_snapshots(db_.url()); }

  json system_info() {
    auto r = client_->get("/system/info");
    EXPECT_EQ(r.status, 200u) << r.body;
    return body_of(r);
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

/// The same fixture under another name, for the system endpoints.
using SystemApi = IngestApi;

TEST_F(IngestApi, StoresSingleSnapshot) {
  auto r = post_json(single_path, simple_snapshot("SIM_SINGLE", "INT_001", 0));
  expect_ack(r, 201, 1, 0);
  EXPECT_NE(r.header("Content-Type").find("application/json"), std::string::npos);
  EXPECT_EQ(stored(), 1);
}

TEST_F(IngestApi, CountsResentSnapshotAsDuplicate) {
  auto snapshot = simple_snapshot("SIM_DUP", "INT_001", 0);
  expect_ack(post_json(single_path, snapshot), 201, 1, 0);
  expect_ack(post_json(single_path, snapshot), 200, 0, 1);
  // The same instant written at another offset is the same key.
  snapshot["timestamp"] = traffic::tests::fixture_time_plus_two_hours(0);
  expect_ack(post_json(single_path, snapshot), 200, 0, 1);
  EXPECT_EQ(stored(), 1);
}

TEST_F(IngestApi, SummaryMatchesHandComputedFixture) {
  const std::string sim = "SIM_HAND";
  // Tick 0 of every intersection one by one, then everything as one batch: the three already
  // stored come back as duplicates.
  for (int i = 0; i < hand_fixture::intersections; ++i)
    expect_ack(post_json(single_path, hand_fixture::snapshot(sim, i, 0)), 201, 1, 0);
  auto all = hand_fixture::all(sim);
  ASSERT_EQ(all.size(), 60u);
  expect_ack(client_->post(batch_path, to_array_text(all), "application/json"), 201, 57, 3);
  EXPECT_EQ(stored(), 60);

  auto r = client_->get(summary_path(sim));
  ASSERT_EQ(r.status, 200u) << r.body;
  expect_hand_fixture_summary(body_of(r), sim);
}

TEST_F(IngestApi, ResentSnapshotsLeaveSummaryUnchanged) {
  const std::string sim = "SIM_RESEND";
  auto all = hand_fixture::all(sim);
  expect_ack(client_->post(batch_path, to_array_text(all), "application/json"), 201, 60, 0);
  auto before = client_->get(summary_path(sim));
  ASSERT_EQ(before.status, 200u) << before.body;

  expect_ack(client_->post(batch_path, to_array_text(all), "application/json"), 200, 0, 60);
  expect_ack(client_->post(batch_path, to_ndjson(all), "application/x-ndjson"), 200, 0, 60);
  for (int i = 0; i < hand_fixture::intersections; ++i)
    expect_ack(post_json(single_path, hand_fixture::snapshot(sim, i, 7)), 200, 0, 1);

  EXPECT_EQ(stored(), 60);
  auto after = client_->get(summary_path(sim));
  ASSERT_EQ(after.status, 200u) << after.body;
  EXPECT_EQ(body_of(after), body_of(before));
  expect_hand_fixture_summary(body_of(after), sim);
}

TEST_F(IngestApi, StoresNdjsonBatch) {
  const std::string sim = "SIM_NDJSON";
  auto r = client_->post(batch_path, to_ndjson(hand_fixture::all(sim)), "application/x-ndjson");
  expect_ack(r, 201, 60, 0);
  EXPECT_EQ(stored(), 60);
  auto summary = client_->get(summary_path(sim));
  ASSERT_EQ(summary.status, 200u) << summary.body;
  expect_hand_fixture_summary(body_of(summary), sim);
}

TEST_F(IngestApi, CountsRepeatedKeyWithinBatchAsDuplicate) {
  auto a = simple_snapshot("SIM_REPEAT", "INT_001", 0);
  auto b = simple_snapshot("SIM_REPEAT", "INT_001", 1);
  expect_ack(client_->post(batch_path, to_array_text({a, a, b}), "application/json"), 201, 2, 1);
  EXPECT_EQ(stored(), 2);
}

TEST_F(IngestApi, RejectsWholeBatchWithOneInvalidItem) {
  const std::string sim = "SIM_BAD_BATCH";
  std::vector<json> items;
  for (int k = 0; k < 5; ++k)
    items.push_back(simple_snapshot(sim, "INT_001", k));
  items[2]["timestamp"] = "2025-09-10 not a time";
  auto r = client_->post(batch_path, to_array_text(items), "application/json");
  expect_error(r, 422, "validation_failed");
  expect_detail(r, "[2].timestamp", 2);
  EXPECT_EQ(body_of(r)["error"]["details"].size(), 1u) << r.body;

  EXPECT_EQ(stored(), 0);
  expect_error(client_->get(summary_path(sim)), 404, "not_found");
}

TEST_F(IngestApi, ListsEveryInvalidBatchItem) {
  std::vector<json> items;
  for (int k = 0; k < 5; ++k)
    items.push_back(simple_snapshot("SIM_BAD_ITEMS", "INT_001", k));
  items[1]["signals"][0]["avg_wait_time"] = -1.0;
  items[3]["intersection_id"] = "INT 003!";
  auto r = client_->post(batch_path, to_array_text(items), "application/json");
  expect_error(r, 422, "validation_failed");
  expect_detail(r, "[1].signals[0].avg_wait_time", 1);
  expect_detail(r, "[3].intersection_id", 3);
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, RejectsInvalidNdjsonLine) {
  std::vector<json> items;
  for (int k = 0; k < 3; ++k)
    items.push_back(simple_snapshot("SIM_BAD_NDJSON", "INT_001", k));
  items[1]["signals"][0]["signal_status"] = "BLUE";
  auto r = client_->post(batch_path, to_ndjson(items), "application/x-ndjson");
  expect_error(r, 422, "validation_failed");
  expect_detail(r, "[1].signals[0].signal_status", 1);
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, RejectsEmptyBatch) {
  expect_error(client_->post(batch_path, "[]", "application/json"), 422, "validation_failed");
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, ReportsEveryViolationOfOneSnapshot) {
  auto snapshot = simple_snapshot("SIM_INVALID", "INT_001", 0);
  snapshot["intersection_id"] = "INT 001!";
  snapshot["signals"][0]["avg_wait_time"] = -3.5;
  auto second = snapshot["signals"][0];
  second["direction"] = "south";
  second["signal_status"] = "BLUE";
  snapshot["signals"].push_back(second);
  snapshot["signals"][1]["avg_wait_time"] = 4.0;
  snapshot["metrics"]["throughput"] = -0.5;
  auto r = post_json(single_path, snapshot);
  expect_error(r, 422, "validation_failed");
  expect_detail(r, "intersection_id");
  expect_detail(r, "signals[0].avg_wait_time");
  expect_detail(r, "signals[1].signal_status");
  expect_detail(r, "metrics.throughput");
  EXPECT_EQ(stored(), 0);
  expect_error(client_->get(summary_path("SIM_INVALID")), 404, "not_found");
}

TEST_F(IngestApi, RejectsMalformedJson) {
  auto truncated = simple_snapshot("SIM_MALFORMED", "INT_001", 0).dump();
  truncated.resize(truncated.size() / 2);
  expect_error(client_->post(single_path, truncated, "application/json"), 400, "malformed_json");
  expect_error(client_->post(batch_path, "[" + truncated, "application/json"), 400,
               "malformed_json");
  expect_error(client_->post(single_path, "{\"simulation_id\": 'x'}", "application/json"), 400,
               "malformed_json");
  expect_error(client_->post(single_path, "", "application/json"), 400, "malformed_json");
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, RejectsNonJsonContentType) {
  auto body = simple_snapshot("SIM_MEDIA", "INT_001", 0).dump();
  expect_error(client_->post(single_path, body, "text/plain"), 415, "unsupported_media_type");
  expect_error(client_->post(single_path, body, ""), 415, "unsupported_media_type");
  expect_error(client_->post(batch_path, "[" + body + "]", "application/xml"), 415,
               "unsupported_media_type");
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, AcceptsJsonContentTypeWithParameters) {
  auto body = simple_snapshot("SIM_CHARSET", "INT_001", 0).dump();
  expect_ack(client_->post(single_path, body, "application/json; charset=utf-8"), 201, 1, 0);
  EXPECT_EQ(stored(), 1);
}

TEST_F(IngestApi, AnswersNotFoundForUnknownRoute) {
  expect_error(client_->get("/api/v1/no-such-thing"), 404, "not_found");
  auto body = simple_snapshot("SIM_ROUTE", "INT_001", 0).dump();
  expect_error(client_->post("/api/v1/ingest/simulations", body, "application/json"), 404,
               "not_found");
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, AnswersMethodNotAllowedWithAllowHeader) {
  auto r = client_->get(single_path);
  expect_error(r, 405, "method_not_allowed");
  EXPECT_NE(r.header("Allow").find("POST"), std::string::npos) << "Allow: " << r.header("Allow");

  auto body = to_array_text({simple_snapshot("SIM_METHOD", "INT_001", 0)});
  auto put = client_->request("PUT", batch_path, body, "application/json", {});
  expect_error(put, 405, "method_not_allowed");
  EXPECT_NE(put.header("Allow").find("POST"), std::string::npos)
      << "Allow: " << put.header("Allow");

  auto del = client_->request("DELETE", summary_path("SIM_METHOD"), "", "", {});
  expect_error(del, 405, "method_not_allowed");
  EXPECT_NE(del.header("Allow").find("GET"), std::string::npos) << "Allow: " << del.header("Allow");
  EXPECT_EQ(stored(), 0);
}

TEST_F(IngestApi, AnswersNotFoundForUnknownSimulation) {
  expect_ack(post_json(single_path, simple_snapshot("SIM_KNOWN", "INT_001", 0)), 201, 1, 0);
  expect_error(client_->get(summary_path("SIM_UNKNOWN")), 404, "not_found");
}

TEST_F(IngestApi, EchoesSaneRequestId) {
  const std::string id = "e2e-req_42:a.b";
  auto ok = client_->post(single_path, simple_snapshot("SIM_RID", "INT_001", 0).dump(),
                          "application/json", {{"X-Request-ID", id}});
  EXPECT_EQ(ok.status, 201u) << ok.body;
  EXPECT_EQ(ok.header("X-Request-ID"), id);
  EXPECT_TRUE(ok.has_header("X-Process-Time"));

  auto missing = client_->get("/api/v1/no-such-thing", {{"X-Request-ID", id}});
  expect_error(missing, 404, "not_found");
  EXPECT_EQ(missing.header("X-Request-ID"), id);
  EXPECT_EQ(body_of(missing).value("request_id", ""), id);
}

TEST_F(IngestApi, GeneratesRequestIdWhenMissingOrUnreasonable) {
  auto first = client_->get("/health");
  auto second = client_->get("/health");
  EXPECT_FALSE(first.header("X-Request-ID").empty());
  EXPECT_NE(first.header("X-Request-ID"), second.header("X-Request-ID"));
  EXPECT_TRUE(first.has_header("X-Process-Time"));

  const std::string too_long(1000, 'a');
  auto long_id = client_->get("/health", {{"X-Request-ID", too_long}});
  EXPECT_FALSE(long_id.header("X-Request-ID").empty());
  EXPECT_NE(long_id.header("X-Request-ID"), too_long);

  const std::string odd = "id with spaces \"and quotes\"";
  auto odd_id = client_->get("/api/v1/no-such-thing", {{"X-Request-ID", odd}});
  expect_error(odd_id, 404, "not_found");
  EXPECT_NE(odd_id.header("X-Request-ID"), odd);
}

TEST_F(SystemApi, HealthSaysDatabaseUp) {
  auto r = client_->get("/health");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto body = body_of(r);
  EXPECT_EQ(body.value("status", ""), "ok") << r.body;
  EXPECT_EQ(body.value("database", ""), "up") << r.body;
  EXPECT_FALSE(r.header("X-Request-ID").empty());
  EXPECT_TRUE(r.has_header("X-Process-Time"));
}

/// A server with a small body limit.
class IngestBodyLimit : public IngestApi {
 protected:
  env_map server_env() const override { return {{"BODY_LIMIT_BYTES", "4096"}}; }
};

TEST_F(IngestBodyLimit, RejectsOversizedBodyWith413) {
  std::vector<json> items;
  for (int k = 0; k < 40; ++k)
    items.push_back(simple_snapshot("SIM_BIG", "INT_001", k));
  auto body = to_array_text(items);
  ASSERT_GT(body.size(), 4096u);
  expect_error(client_->post(batch_path, body, "application/json"), 413, "payload_too_large");

  // A body under the limit still goes through, on a new connection if the server closed it.
  auto small = simple_snapshot("SIM_BIG", "INT_001", 100).dump();
  ASSERT_LT(small.size(), 4096u);
  expect_ack(client_->post(single_path, small, "application/json"), 201, 1, 0);
  EXPECT_EQ(stored(), 1);
}

/// A server with a known writer pool and queue, to check what /system/info reports.
class SystemInfo : public IngestApi {
 protected:
  env_map server_env() const override {
    return {{"WRITER_POOL_SIZE", "3"}, {"WRITER_QUEUE_ROWS", "1234"}};
  }
};

TEST_F(SystemInfo, ReportsStoredSnapshotsAndConfiguredWriters) {
  for (int k = 0; k < 3; ++k)
    expect_ack(post_json(single_path, simple_snapshot("SIM_INFO", "INT_001", k)), 201, 1, 0);
  expect_ack(post_json(single_path, simple_snapshot("SIM_INFO", "INT_001", 0)), 200, 0, 1);

  auto info = system_info();
  for (const char* key :
       {"version", "uptime_seconds", "actors", "writer_queue", "writes", "database"})
    ASSERT_TRUE(info.contains(key)) << "no " << key << " in " << info.dump();
  EXPECT_TRUE(info["version"].is_string()) << info.dump();
  EXPECT_TRUE(info["uptime_seconds"].is_number()) << info.dump();
  EXPECT_EQ(info["actors"].value("writers", -1), 3) << info.dump();
  EXPECT_TRUE(info["actors"].contains("simulations")) << info.dump();
  EXPECT_TRUE(info["actors"].contains("analytics")) << info.dump();
  EXPECT_EQ(info["writer_queue"].value("capacity", -1), 1234) << info.dump();
  EXPECT_EQ(info["writer_queue"].value("depth", -1), 0) << info.dump();
  EXPECT_EQ(info["writes"].value("snapshots_stored", -1), 3) << info.dump();
  EXPECT_EQ(info["writes"].value("duplicates", -1), 1) << info.dump();
  EXPECT_GE(info["writes"].value("batches", -1), 1) << info.dump();
  EXPECT_EQ(info["database"].value("state", ""), "up") << info.dump();
}

} // namespace
