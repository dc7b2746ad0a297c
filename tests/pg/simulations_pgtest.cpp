// The run list and run updates over the analytics data set.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/pg/analytics_fixture.hpp"

namespace {

using traffic::metrics::analytics_query;
using traffic::metrics::query_kind;
using traffic::metrics::run_mode;
using traffic::metrics::simulation_info;
using traffic::metrics::simulation_list;
using traffic::metrics::simulation_summary;
using traffic::metrics::simulation_update;
using traffic::metrics::timestamp_us;
using traffic::storage::storage_status;
using traffic::tests::AnalyticsData;
using traffic::tests::query_of;
using traffic::tests::tick;

using Simulations = AnalyticsData;

std::vector<std::string> ids_of(const simulation_list& list) {
  std::vector<std::string> ids;
  for (const auto& s : list.simulations)
    ids.push_back(s.simulation_id);
  return ids;
}

/// Returns the wall clock now, in microseconds since the epoch.
timestamp_us now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

analytics_query simulations() {
  return query_of(query_kind::simulations);
}

TEST_F(Simulations, ListsEveryRunByIdAsTheTableRecordsIt) {
  const auto list = ask<simulation_list>(simulations());
  EXPECT_FALSE(list.truncated);
  EXPECT_EQ(ids_of(list), (std::vector<std::string>{"NIGHT_AI", "NIGHT_BASE", "RUSH_AI",
                                                    "RUSH_BASE", "UNTAGGED"}));
  const auto& night_ai = list.simulations[0];
  EXPECT_EQ(night_ai.mode, run_mode::ai);
  EXPECT_EQ(night_ai.scenario, "night");
  EXPECT_EQ(night_ai.first_timestamp, tick(0));
  EXPECT_EQ(night_ai.last_timestamp, tick(9));
  EXPECT_EQ(night_ai.snapshots, 17);
  // Wall clock of the writes: during this test, so within the last few minutes.
  EXPECT_GT(night_ai.first_seen, now_us() - 600'000'000);
  EXPECT_LE(night_ai.first_seen, night_ai.last_seen);
  EXPECT_LE(night_ai.last_seen, now_us());
  EXPECT_EQ(list.simulations[3].mode, run_mode::baseline);
  EXPECT_EQ(list.simulations[3].snapshots, 20);
  EXPECT_FALSE(list.simulations[4].mode.has_value());
  EXPECT_FALSE(list.simulations[4].scenario.has_value());
}

TEST_F(Simulations, FiltersRunsByScenarioAndMode) {
  auto q = simulations();
  q.scenario = "rush";
  EXPECT_EQ(ids_of(ask<simulation_list>(q)), (std::vector<std::string>{"RUSH_AI", "RUSH_BASE"}));
  q.scenario.reset();
  q.mode = run_mode::ai;
  EXPECT_EQ(ids_of(ask<simulation_list>(q)), (std::vector<std::string>{"NIGHT_AI", "RUSH_AI"}));
  q.scenario = "night";
  q.mode = run_mode::baseline;
  EXPECT_EQ(ids_of(ask<simulation_list>(q)), std::vector<std::string>{"NIGHT_BASE"});
  q.scenario = "no_such_scenario";
  const auto none = ask<simulation_list>(q);
  EXPECT_TRUE(none.simulations.empty());
  EXPECT_FALSE(none.truncated);
}

TEST_F(Simulations, ListsAtMostTheLimit) {
  auto q = simulations();
  q.limit = 2;
  const auto two = ask<simulation_list>(q);
  EXPECT_EQ(ids_of(two), (std::vector<std::string>{"NIGHT_AI", "NIGHT_BASE"}));
  EXPECT_TRUE(two.truncated);
  q.limit = 5;
  const auto five = ask<simulation_list>(q);
  EXPECT_EQ(five.simulations.size(), 5u);
  EXPECT_FALSE(five.truncated);
  q.limit = 0;
  const auto zero = ask<simulation_list>(q);
  EXPECT_TRUE(zero.simulations.empty());
  EXPECT_TRUE(zero.truncated);
}

TEST_F(Simulations, ChangesOnlyTheModeWhenAsked) {
  simulation_update u;
  u.simulation_id = "UNTAGGED";
  u.set_mode = true;
  u.mode = run_mode::ai;
  const auto r = reader_.update_simulation(u);
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.value->simulation_id, "UNTAGGED");
  EXPECT_EQ(r.value->mode, run_mode::ai);
  EXPECT_FALSE(r.value->scenario.has_value());
  EXPECT_EQ(r.value->snapshots, 20);
  EXPECT_EQ(r.value->first_timestamp, tick(0));

  // Committed: the next answers see it.
  auto q = query_of(query_kind::summary);
  q.filter.simulation_id = "UNTAGGED";
  EXPECT_EQ(ask<simulation_summary>(q).mode, run_mode::ai);
  auto ai = simulations();
  ai.mode = run_mode::ai;
  EXPECT_EQ(ids_of(ask<simulation_list>(ai)),
            (std::vector<std::string>{"NIGHT_AI", "RUSH_AI", "UNTAGGED"}));
}

TEST_F(Simulations, ChangesOnlyTheScenarioWhenAsked) {
  simulation_update u;
  u.simulation_id = "RUSH_AI";
  u.set_scenario = true;
  u.scenario = "evening";
  u.mode = run_mode::baseline; // ignored: set_mode is false
  const auto r = reader_.update_simulation(u);
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.value->mode, run_mode::ai);
  EXPECT_EQ(r.value->scenario, "evening");
}

TEST_F(Simulations, ClearsModeAndScenario) {
  simulation_update u;
  u.simulation_id = "RUSH_BASE";
  u.set_mode = true;
  u.set_scenario = true;
  const auto r = reader_.update_simulation(u);
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_FALSE(r.value->mode.has_value());
  EXPECT_FALSE(r.value->scenario.has_value());
  auto rush = simulations();
  rush.scenario = "rush";
  EXPECT_EQ(ids_of(ask<simulation_list>(rush)), std::vector<std::string>{"RUSH_AI"});
}

TEST_F(Simulations, LeavesTheRunAsItIsWithoutFlags) {
  simulation_update u;
  u.simulation_id = "NIGHT_BASE";
  u.scenario = "ignored";
  const auto r = reader_.update_simulation(u);
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.value->mode, run_mode::baseline);
  EXPECT_EQ(r.value->scenario, "night");
}

TEST_F(Simulations, ReportsUpdatesOfUnknownRunsAsNotFound) {
  simulation_update u;
  u.simulation_id = "NO_SUCH_SIM";
  u.set_mode = true;
  u.mode = run_mode::ai;
  const auto r = reader_.update_simulation(u);
  EXPECT_EQ(r.status, storage_status::not_found);
  EXPECT_FALSE(r.value.has_value());
  u.simulation_id = "x'; UPDATE simulations SET mode = NULL; --";
  EXPECT_EQ(reader_.update_simulation(u).status, storage_status::not_found);
  auto ai = simulations();
  ai.mode = run_mode::ai;
  EXPECT_EQ(ask<simulation_list>(ai).simulations.size(), 2u);
}

} // namespace

namespace {

TEST_F(Simulations, DeletesARunWithAllItsRows) {
  const auto r = reader_.delete_simulation("NIGHT_AI");
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  // NIGHT_AI had 17 snapshots (INT_B lacks ticks 3-5) and is answered as it was.
  EXPECT_EQ(r.value->simulation_id, "NIGHT_AI");
  EXPECT_EQ(r.value->snapshots, 17);
  EXPECT_EQ(r.value->mode, run_mode::ai);
  EXPECT_EQ(r.value->scenario, "night");
  EXPECT_EQ(ids_of(ask<simulation_list>(simulations())),
            (std::vector<std::string>{"NIGHT_BASE", "RUSH_AI", "RUSH_BASE", "UNTAGGED"}));
  EXPECT_EQ(traffic::tests::stored_rows(db_.url(), "performance_metrics", "NIGHT_AI"), 0);
  EXPECT_EQ(traffic::tests::stored_rows(db_.url(), "signal_states", "NIGHT_AI"), 0);
  for (const char* rollup : {"snapshot_minutes", "direction_totals", "vehicle_class_totals"})
    EXPECT_EQ(traffic::tests::stored_rows(db_.url(), rollup, "NIGHT_AI"), 0) << rollup;
  EXPECT_GT(traffic::tests::stored_rows(db_.url(), "snapshot_minutes", "NIGHT_BASE"), 0);
  // The other runs keep every row: 97 - 17 snapshots, two approaches each.
  EXPECT_EQ(traffic::tests::stored_rows(db_.url(), "performance_metrics", ""), 80);
  EXPECT_EQ(traffic::tests::stored_rows(db_.url(), "signal_states", ""), 160);
  EXPECT_EQ(reader_.delete_simulation("NIGHT_AI").status, storage_status::not_found);
}

TEST_F(Simulations, ReportsDeletesOfUnknownRunsAsNotFound) {
  const auto r = reader_.delete_simulation("NO_SUCH_SIM");
  EXPECT_EQ(r.status, storage_status::not_found);
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(traffic::tests::stored_rows(db_.url(), "performance_metrics", ""), 97);
}

} // namespace
