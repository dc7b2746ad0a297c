// End-to-end tests of the answer cache, the admin clear-cache route, run updates and the live
// view, on a real server.
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::tests::body_of;
using traffic::tests::env_map;
using traffic::tests::expect_ack;
using traffic::tests::expect_close;
using traffic::tests::expect_error;
using traffic::tests::http_client;
using traffic::tests::http_response;
using traffic::tests::json;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::summary_path;
using traffic::tests::test_database;

const std::string admin_token = "test-admin-token-0123456789";
const std::string clear_path = "/api/v1/admin/clear-cache";
const std::string wait_times_path = "/api/v1/analytics/wait-times?group_by=simulation";

class CacheApi : public testing::Test {
 protected:
  virtual env_map server_env() const { return {{"ADMIN_TOKEN", admin_token}}; }

  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url(), server_env());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  void ingest(const std::string& simulation_id, int second, double wait) {
    auto r =
        client_->post(single_path, simple_snapshot(simulation_id, "INT_1", second, wait).dump());
    expect_ack(r, 201, 1, 0);
  }

  /// GETs `path` and checks the status and the X-Cache header.
  json get(const std::string& path, const std::string& cache) {
    auto r = client_->get(path);
    EXPECT_EQ(r.status, 200u) << path << ": " << r.body;
    EXPECT_EQ(r.header("X-Cache"), cache) << path;
    return body_of(r);
  }

  http_response clear(const std::string& authorization, const std::string& query = "") {
    traffic::tests::header_map headers;
    if (!authorization.empty())
      headers["Authorization"] = authorization;
    return client_->post(clear_path + query, "", "", headers);
  }

  json cache_stats() { return body_of(client_->get("/system/info"))["cache"]; }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

class CacheWithoutAdminToken : public CacheApi {
 protected:
  env_map server_env() const override { return {}; }
};

TEST_F(CacheApi, ARepeatedQueryIsAHitWithTheSameBody) {
  ingest("SIM_A", 0, 10.0);
  auto first = client_->get(summary_path("SIM_A"));
  auto second = client_->get(summary_path("SIM_A"));
  EXPECT_EQ(first.header("X-Cache"), "MISS");
  EXPECT_EQ(second.header("X-Cache"), "HIT");
  EXPECT_EQ(first.body, second.body);
  auto stats = cache_stats();
  EXPECT_EQ(stats["hits"], 1);
  EXPECT_EQ(stats["misses"], 1);
  EXPECT_EQ(stats["entries"], 1);
  EXPECT_GT(stats["bytes"].get<std::int64_t>(), static_cast<std::int64_t>(first.body.size()));
}

TEST_F(CacheApi, IngestInvalidatesTheAnswersOfThatSimulationAndTheUnfilteredOnes) {
  ingest("SIM_A", 0, 10.0);
  ingest("SIM_B", 0, 30.0);
  get(summary_path("SIM_A"), "MISS");
  get(summary_path("SIM_B"), "MISS");
  get(wait_times_path, "MISS");
  get(summary_path("SIM_A"), "HIT");
  get(wait_times_path, "HIT");

  ingest("SIM_A", 1, 20.0);
  // SIM_A's answer and the unfiltered one show the new snapshot at once; SIM_B's stays cached.
  auto a = get(summary_path("SIM_A"), "MISS");
  EXPECT_EQ(a["snapshots"], 2);
  expect_close(a["mean_wait_time"], 15.0, "mean_wait_time");
  get(summary_path("SIM_B"), "HIT");
  auto waits = get(wait_times_path, "MISS");
  EXPECT_EQ(waits["overall"]["samples"], 3);
  expect_close(waits["overall"]["mean"], 20.0, "overall mean");
  EXPECT_GE(cache_stats()["invalidations"].get<std::int64_t>(), 2);
}

TEST_F(CacheApi, ADuplicateChangesNothingAndKeepsTheCache) {
  ingest("SIM_A", 0, 10.0);
  get(summary_path("SIM_A"), "MISS");
  auto r = client_->post(single_path, simple_snapshot("SIM_A", "INT_1", 0, 10.0).dump());
  expect_ack(r, 200, 0, 1);
  get(summary_path("SIM_A"), "HIT");
}

TEST_F(CacheApi, ErrorsAreNotCached) {
  auto first = client_->get(summary_path("NOPE"));
  expect_error(first, 404, "not_found");
  ingest("NOPE", 0, 10.0);
  EXPECT_EQ(client_->get(summary_path("NOPE")).status, 200u);
}

TEST_F(CacheApi, ClearCacheNeedsTheBearerToken) {
  ingest("SIM_A", 0, 10.0);
  get(summary_path("SIM_A"), "MISS");

  auto missing = clear("");
  expect_error(missing, 401, "unauthorized");
  EXPECT_NE(missing.header("WWW-Authenticate").find("Bearer"), std::string::npos);
  expect_error(clear("Bearer wrong-token-0123456789"), 401, "unauthorized");
  expect_error(clear("Basic " + admin_token), 401, "unauthorized");
  // Refused requests cleared nothing.
  get(summary_path("SIM_A"), "HIT");

  auto ok = clear("Bearer " + admin_token);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  auto body = body_of(ok);
  EXPECT_EQ(body["cleared"]["entries"], 1);
  EXPECT_GT(body["cleared"]["bytes"].get<std::int64_t>(), 0);
  EXPECT_TRUE(body["simulation_id"].is_null());
  EXPECT_EQ(cache_stats()["entries"], 0);
  get(summary_path("SIM_A"), "MISS");
}

TEST_F(CacheApi, ClearCacheOfOneSimulationKeepsTheOthers) {
  ingest("SIM_A", 0, 10.0);
  ingest("SIM_B", 0, 30.0);
  get(summary_path("SIM_A"), "MISS");
  get(summary_path("SIM_B"), "MISS");
  get(wait_times_path, "MISS");

  auto ok = clear("Bearer " + admin_token, "?simulation_id=SIM_A");
  ASSERT_EQ(ok.status, 200u) << ok.body;
  auto body = body_of(ok);
  // SIM_A's summary and the unfiltered wait-times, which include SIM_A's data.
  EXPECT_EQ(body["cleared"]["entries"], 2);
  EXPECT_EQ(body["simulation_id"], "SIM_A");
  get(summary_path("SIM_B"), "HIT");
  get(summary_path("SIM_A"), "MISS");

  expect_error(clear("Bearer " + admin_token, "?simulation_id=bad%20id"), 400, "bad_request");
  expect_error(clear("Bearer " + admin_token, "?everything=1"), 400, "bad_request");
}

TEST_F(CacheWithoutAdminToken, ClearCacheIsOffAndSaysHowToTurnItOn) {
  auto r = clear("Bearer " + admin_token);
  expect_error(r, 403, "forbidden");
  EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find("ADMIN_TOKEN"),
            std::string::npos);
}

TEST_F(CacheApi, PutSimulationChangesModeAndScenarioAndRefreshesAnswers) {
  ingest("SIM_A", 0, 10.0);
  auto before = get(summary_path("SIM_A"), "MISS");
  EXPECT_TRUE(before["mode"].is_null());

  auto r = client_->request("PUT", "/api/v1/simulations/SIM_A",
                            R"({"mode":"ai","scenario":"rush"})", "application/json", {});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto info = body_of(r);
  EXPECT_EQ(info["simulation_id"], "SIM_A");
  EXPECT_EQ(info["mode"], "ai");
  EXPECT_EQ(info["scenario"], "rush");
  EXPECT_EQ(info["snapshots"], 1);

  auto after = get(summary_path("SIM_A"), "MISS");
  EXPECT_EQ(after["mode"], "ai");
  EXPECT_EQ(after["scenario"], "rush");

  // Only the scenario: the mode stays; null clears.
  r = client_->request("PUT", "/api/v1/simulations/SIM_A", R"({"scenario":null})",
                       "application/json", {});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(body_of(r)["mode"], "ai");
  EXPECT_TRUE(body_of(r)["scenario"].is_null());

  auto list = get("/api/v1/simulations", "MISS");
  ASSERT_EQ(list["simulations"].size(), 1u);
  EXPECT_EQ(list["simulations"][0]["simulation_id"], "SIM_A");
  EXPECT_EQ(list["simulations"][0]["mode"], "ai");
}

TEST_F(CacheApi, PutSimulationRejectsBadInput) {
  ingest("SIM_A", 0, 10.0);
  auto put = [&](const std::string& id, const std::string& body) {
    return client_->request("PUT", "/api/v1/simulations/" + id, body, "application/json", {});
  };
  expect_error(put("NOPE", R"({"mode":"ai"})"), 404, "not_found");
  expect_error(put("SIM_A", R"({"mode":"robot"})"), 422, "validation_failed");
  expect_error(put("SIM_A", R"({"colour":"red"})"), 422, "validation_failed");
  expect_error(put("SIM_A", R"({})"), 422, "validation_failed");
  expect_error(put("SIM_A", R"([1,2])"), 400, "malformed_json");
  expect_error(put("SIM_A", R"({"mode":)"), 400, "malformed_json");
  expect_error(put("bad%20id", R"({"mode":"ai"})"), 400, "bad_request");
  expect_error(
      client_->request("PUT", "/api/v1/simulations/SIM_A", R"({"mode":"ai"})", "text/plain", {}),
      415, "unsupported_media_type");
  // Nothing changed.
  EXPECT_TRUE(get(summary_path("SIM_A"), "MISS")["mode"].is_null());
}

TEST_F(CacheApi, LiveMetricsShowACommitWithinASecond) {
  auto empty = body_of(client_->get("/api/v1/dashboard/live-metrics"));
  EXPECT_EQ(empty["simulations"].size(), 0u);
  EXPECT_EQ(empty["active_simulations"], 0);

  ingest("SIM_LIVE", 0, 10.0);
  ingest("SIM_LIVE", 1, 20.0);
  json live;
  auto deadline = std::chrono::steady_clock::now() + 1s;
  do {
    live = body_of(client_->get("/api/v1/dashboard/live-metrics"));
    if (live["snapshots_committed"] == 2)
      break;
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(live["snapshots_committed"], 2) << live.dump();
  ASSERT_EQ(live["simulations"].size(), 1u) << live.dump();
  const auto& sim = live["simulations"][0];
  EXPECT_EQ(sim["simulation_id"], "SIM_LIVE");
  EXPECT_EQ(sim["active"], true);
  EXPECT_EQ(sim["snapshots_committed"], 2);
  EXPECT_EQ(sim["latest_timestamp"], traffic::tests::fixture_time(1));
  expect_close(sim["rolling"]["mean_wait_time"], 15.0, "rolling mean wait");
  EXPECT_EQ(sim["rolling"]["samples"], 2);
  EXPECT_GT(sim["ingest_rate"].get<double>(), 0.0);
  EXPECT_GT(live["global_ingest_rate"].get<double>(), 0.0);
  EXPECT_EQ(live["active_simulations"], 1);
}

} // namespace

namespace {

TEST_F(CacheApi, DeleteSimulationNeedsTheAdminTokenAndRemovesEverything) {
  ingest("SIM_A", 0, 10.0);
  ingest("SIM_A", 1, 20.0);
  ingest("SIM_B", 0, 30.0);
  get(summary_path("SIM_A"), "MISS");
  get(summary_path("SIM_B"), "MISS");
  auto del = [&](const std::string& id, const std::string& authorization) {
    traffic::tests::header_map headers;
    if (!authorization.empty())
      headers["Authorization"] = authorization;
    return client_->request("DELETE", "/api/v1/simulations/" + id, "", "", headers);
  };

  expect_error(del("SIM_A", ""), 401, "unauthorized");
  expect_error(del("SIM_A", "Bearer wrong-token-0123456789"), 401, "unauthorized");
  // Refused: nothing was deleted, nothing was dropped from the cache.
  EXPECT_EQ(traffic::tests::stored_snapshots(db_.url(), "SIM_A"), 2);
  get(summary_path("SIM_A"), "HIT");

  auto ok = del("SIM_A", "Bearer " + admin_token);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  auto deleted = body_of(ok)["deleted"];
  EXPECT_EQ(deleted["simulation_id"], "SIM_A");
  EXPECT_EQ(deleted["snapshots"], 2);
  EXPECT_EQ(traffic::tests::stored_snapshots(db_.url(), "SIM_A"), 0);
  EXPECT_EQ(traffic::tests::stored_snapshots(db_.url(), "SIM_B"), 1);
  expect_error(client_->get(summary_path("SIM_A")), 404, "not_found");
  get(summary_path("SIM_B"), "HIT");
  auto list = get("/api/v1/simulations", "MISS");
  ASSERT_EQ(list["simulations"].size(), 1u);
  EXPECT_EQ(list["simulations"][0]["simulation_id"], "SIM_B");

  // The live view forgets the run at once.
  json live;
  auto deadline = std::chrono::steady_clock::now() + 1s;
  do {
    live = body_of(client_->get("/api/v1/dashboard/live-metrics"));
    if (live["simulations"].size() == 1u)
      break;
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(live["simulations"].size(), 1u) << live.dump();
  EXPECT_EQ(live["simulations"][0]["simulation_id"], "SIM_B");

  expect_error(del("SIM_A", "Bearer " + admin_token), 404, "not_found");
  expect_error(del("bad%20id", "Bearer " + admin_token), 400, "bad_request");
  // The run can start over.
  ingest("SIM_A", 0, 10.0);
  EXPECT_EQ(get(summary_path("SIM_A"), "MISS")["snapshots"], 1);
}

TEST_F(CacheWithoutAdminToken, DeleteSimulationIsOff) {
  auto r = client_->request("DELETE", "/api/v1/simulations/SIM_A", "", "",
                            {{"Authorization", "Bearer " + admin_token}});
  expect_error(r, 403, "forbidden");
}

} // namespace
