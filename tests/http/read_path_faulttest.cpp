// The read side while PostgreSQL is down: the live view and cached answers come from memory.
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/server_process.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using traffic::tests::body_of;
using traffic::tests::expect_ack;
using traffic::tests::expect_close;
using traffic::tests::expect_error;
using traffic::tests::http_client;
using traffic::tests::json;
using traffic::tests::pg_cluster;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::summary_path;

class ReadPathWithDatabaseDown : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<server_process>(
        cluster_.url(), traffic::tests::env_map{{"DB_CONNECT_TIMEOUT_S", "1"}});
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
  }

  pg_cluster cluster_;
  std::unique_ptr<server_process> server_;
};

TEST_F(ReadPathWithDatabaseDown, LiveMetricsShowTheLastCommitWithinASecond) {
  http_client client{server_->port()};
  expect_ack(client.post(single_path, simple_snapshot("SIM_LIVE", "INT_1", 0, 10.0).dump()), 201, 1,
             0);
  cluster_.stop();
  // This commit happened before the outage; the live view must show it, from memory.
  json live;
  auto deadline = clock_type::now() + 1s;
  do {
    auto r = client.get("/api/v1/dashboard/live-metrics");
    ASSERT_EQ(r.status, 200u) << r.body;
    live = body_of(r);
    if (live["snapshots_committed"] == 1)
      break;
    std::this_thread::sleep_for(20ms);
  } while (clock_type::now() < deadline);
  ASSERT_EQ(live["simulations"].size(), 1u) << live.dump();
  EXPECT_EQ(live["simulations"][0]["simulation_id"], "SIM_LIVE");
  expect_close(live["simulations"][0]["rolling"]["mean_wait_time"], 10.0, "rolling mean wait");
  // A rejected write during the outage does not show up.
  auto rejected = client.post(single_path, simple_snapshot("SIM_LIVE", "INT_1", 1, 50.0).dump());
  expect_error(rejected, 503, "service_unavailable");
  live = body_of(client.get("/api/v1/dashboard/live-metrics"));
  EXPECT_EQ(live["snapshots_committed"], 1) << live.dump();
}

TEST_F(ReadPathWithDatabaseDown, CachedAnswersAreStillServed) {
  http_client client{server_->port()};
  expect_ack(client.post(single_path, simple_snapshot("SIM_C", "INT_1", 0, 10.0).dump()), 201, 1,
             0);
  auto fresh = client.get(summary_path("SIM_C"));
  ASSERT_EQ(fresh.status, 200u) << fresh.body;
  cluster_.stop();
  auto cached = client.get(summary_path("SIM_C"));
  EXPECT_EQ(cached.status, 200u) << cached.body;
  EXPECT_EQ(cached.header("X-Cache"), "HIT");
  EXPECT_EQ(cached.body, fresh.body);
  // What is not cached needs the database: a quick 503, not a hang.
  auto start = clock_type::now();
  auto uncached = client.get("/api/v1/analytics/wait-times");
  expect_error(uncached, 503, "service_unavailable");
  EXPECT_LT(std::chrono::duration<double>(clock_type::now() - start).count(), 3.0);
}

} // namespace
