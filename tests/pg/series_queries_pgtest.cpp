// Time series, wait-time trend and scatter, against tests/fixtures/README.md.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/snapshot.hpp"
#include "tests/pg/analytics_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::metrics::analytics_query;
using traffic::metrics::query_kind;
using traffic::metrics::run_mode;
using traffic::metrics::scatter_chart;
using traffic::metrics::scatter_level;
using traffic::metrics::series_metric;
using traffic::metrics::series_point;
using traffic::metrics::time_series;
using traffic::metrics::timestamp_us;
using traffic::metrics::trend_chart;
using traffic::storage::storage_status;
using traffic::tests::AnalyticsData;
using traffic::tests::query_of;
using traffic::tests::seconds;
using traffic::tests::tick;

using SeriesQueries = AnalyticsData;

constexpr double tolerance = 1e-9;

void expect_point(const series_point& p, timestamp_us start, std::int64_t count, double mean,
                  double min, double max) {
  EXPECT_EQ(p.start, start);
  EXPECT_EQ(p.count, count);
  EXPECT_NEAR(p.mean, mean, tolerance);
  EXPECT_NEAR(p.min, min, tolerance);
  EXPECT_NEAR(p.max, max, tolerance);
}

analytics_query series(const std::string& sim, series_metric metric, std::int64_t bucket) {
  auto q = query_of(query_kind::time_series);
  q.filter.simulation_id = sim;
  q.metric = metric;
  q.bucket_seconds = bucket;
  return q;
}

// ---- time series ---------------------------------------------------------------------------

TEST_F(SeriesQueries, AlignsBucketsToTheEpochNotToTheFirstSnapshot) {
  auto q = series("RUSH_BASE", series_metric::avg_wait_time_all_sides, 120);
  q.filter.intersection_id = "INT_A";
  const auto s = ask<time_series>(q);
  EXPECT_EQ(s.simulation_id, "RUSH_BASE");
  EXPECT_EQ(s.metric, series_metric::avg_wait_time_all_sides);
  EXPECT_EQ(s.bucket_seconds, 120);
  EXPECT_EQ(s.intersection_id, "INT_A");
  EXPECT_FALSE(s.truncated);
  // 07:55 is 60 s into the 120 s bucket that starts at 07:54.
  ASSERT_EQ(s.points.size(), 6u);
  expect_point(s.points[0], tick(-1), 1, 40, 40, 40);
  expect_point(s.points[1], tick(1), 2, 41.5, 41, 42);
  expect_point(s.points[2], tick(3), 2, 43.5, 43, 44);
  expect_point(s.points[3], tick(5), 2, 45.5, 45, 46);
  expect_point(s.points[4], tick(7), 2, 47.5, 47, 48);
  expect_point(s.points[5], tick(9), 1, 49, 49, 49);
}

TEST_F(SeriesQueries, PicksTheMetricColumnByName) {
  // Integer columns: vehicles passed 20 + 10 i + 2 k over both intersections.
  const auto passed =
      ask<time_series>(series("RUSH_AI", series_metric::total_vehicles_passed, 300));
  ASSERT_EQ(passed.points.size(), 2u);
  expect_point(passed.points[0], tick(0), 10, 29, 20, 38);
  expect_point(passed.points[1], tick(5), 10, 39, 30, 48);

  auto overrides = series("RUSH_AI", series_metric::emergency_overrides, 600);
  overrides.filter.intersection_id = "INT_A";
  const auto o = ask<time_series>(overrides);
  ASSERT_EQ(o.points.size(), 2u);
  expect_point(o.points[0], tick(-5), 5, 0, 0, 0);
  expect_point(o.points[1], tick(5), 5, 0.4, 0, 1);

  // Hourly buckets of a run with a gap: 8 snapshots in hour 07, 9 in hour 08.
  const auto fuel = ask<time_series>(series("NIGHT_AI", series_metric::fuel_saved, 3600));
  ASSERT_EQ(fuel.points.size(), 2u);
  expect_point(fuel.points[0], tick(0) - seconds(3300), 8, 4.75 / 8, 0.5, 0.75);
  expect_point(fuel.points[1], tick(5), 9, 5.5 / 9, 0.5, 0.75);

  const auto speed = ask<time_series>(series("UNTAGGED", series_metric::avg_speed, 300));
  ASSERT_EQ(speed.points.size(), 2u);
  expect_point(speed.points[0], tick(0), 10, 14.5, 10, 19);

  const auto throughput = ask<time_series>(series("RUSH_BASE", series_metric::throughput, 300));
  ASSERT_EQ(throughput.points.size(), 2u);
  expect_point(throughput.points[1], tick(5), 10, 1.375, 1.125, 1.625);

  const auto co2 = ask<time_series>(series("UNTAGGED", series_metric::co2_saved, 600));
  ASSERT_EQ(co2.points.size(), 2u);
  expect_point(co2.points[0], tick(-5), 10, -0.75, -1, -0.5);
}

TEST_F(SeriesQueries, FiltersTheSeriesByIntersectionAndRange) {
  auto q = series("RUSH_BASE", series_metric::avg_speed, 60);
  q.filter.intersection_id = "INT_B";
  q.filter.from = tick(3);
  q.filter.to = tick(4);
  const auto s = ask<time_series>(q);
  ASSERT_EQ(s.points.size(), 2u);
  expect_point(s.points[0], tick(3), 1, 28, 28, 28);
  expect_point(s.points[1], tick(4), 1, 29, 29, 29);

  q.filter.from = tick(20);
  q.filter.to = tick(20);
  const auto empty = ask<time_series>(q);
  EXPECT_TRUE(empty.points.empty());
  EXPECT_FALSE(empty.truncated);
}

TEST_F(SeriesQueries, ListsAtMostTenThousandBuckets) {
  // 10001 one-second snapshots: one bucket too many.
  std::vector<traffic::metrics::snapshot> run(10001);
  std::vector<const traffic::metrics::snapshot*> batch;
  for (std::size_t i = 0; i < run.size(); ++i) {
    run[i].simulation_id = "LONG";
    run[i].intersection_id = "INT_A";
    run[i].timestamp = tick(0) + seconds(static_cast<std::int64_t>(i));
    run[i].metrics.avg_wait_time_all_sides = static_cast<double>(i);
    run[i].signals.resize(1);
    batch.push_back(&run[i]);
  }
  traffic::storage::snapshot_writer writer{db_.url(), 60000ms};
  ASSERT_EQ(writer.write(batch).status, storage_status::ok);

  const auto s = ask<time_series>(series("LONG", series_metric::avg_wait_time_all_sides, 1));
  EXPECT_TRUE(s.truncated);
  ASSERT_EQ(s.points.size(), 10000u);
  expect_point(s.points.back(), tick(0) + seconds(9999), 1, 9999, 9999, 9999);

  auto all = series("LONG", series_metric::avg_wait_time_all_sides, 2);
  const auto halves = ask<time_series>(all);
  EXPECT_FALSE(halves.truncated);
  EXPECT_EQ(halves.points.size(), 5001u);
}

TEST_F(SeriesQueries, RefusesASeriesWithoutSimulation) {
  EXPECT_EQ(status_of(query_of(query_kind::time_series)), storage_status::failed);
  EXPECT_EQ(status_of(series("NO_SUCH_SIM", series_metric::avg_speed, 60)),
            storage_status::not_found);
}

// ---- wait-time trend -----------------------------------------------------------------------

TEST_F(SeriesQueries, DrawsTheTrendOfTheNamedRuns) {
  auto q = query_of(query_kind::wait_time_trend);
  q.simulation_ids = {"NIGHT_AI", "RUSH_BASE"};
  q.bucket_seconds = 300;
  const auto t = ask<trend_chart>(q);
  EXPECT_EQ(t.bucket_seconds, 300);
  EXPECT_FALSE(t.truncated);
  EXPECT_EQ(t.labels, (std::vector<timestamp_us>{tick(0), tick(5)}));
  ASSERT_EQ(t.datasets.size(), 2u);
  EXPECT_EQ(t.datasets[0].label, "NIGHT_AI");
  ASSERT_EQ(t.datasets[0].data.size(), 2u);
  EXPECT_DOUBLE_EQ(*t.datasets[0].data[0], 34.375);
  EXPECT_NEAR(*t.datasets[0].data[1], 366.0 / 9, tolerance);
  EXPECT_EQ(t.datasets[1].label, "RUSH_BASE");
  EXPECT_EQ(t.datasets[1].data, (std::vector<std::optional<double>>{47.0, 52.0}));
}

TEST_F(SeriesQueries, DrawsEveryRunWhenNoneIsNamed) {
  auto q = query_of(query_kind::wait_time_trend);
  q.bucket_seconds = 300;
  const auto t = ask<trend_chart>(q);
  ASSERT_EQ(t.datasets.size(), 5u);
  const std::vector<std::string> labels{"NIGHT_AI", "NIGHT_BASE", "RUSH_AI", "RUSH_BASE",
                                        "UNTAGGED"};
  for (std::size_t i = 0; i < labels.size(); ++i)
    EXPECT_EQ(t.datasets[i].label, labels[i]);
  EXPECT_EQ(t.datasets[2].data, (std::vector<std::optional<double>>{27.0, 32.0}));
  EXPECT_EQ(t.datasets[4].data, (std::vector<std::optional<double>>{57.0, 62.0}));
}

TEST_F(SeriesQueries, LeavesHolesWhereARunHasNoBucket) {
  auto q = query_of(query_kind::wait_time_trend);
  q.simulation_ids = {"NIGHT_AI", "NIGHT_BASE"};
  q.bucket_seconds = 60;
  q.filter.intersection_id = "INT_B";
  q.filter.from = tick(3);
  q.filter.to = tick(6);
  const auto t = ask<trend_chart>(q);
  EXPECT_EQ(t.labels, (std::vector<timestamp_us>{tick(3), tick(4), tick(5), tick(6)}));
  ASSERT_EQ(t.datasets.size(), 2u);
  EXPECT_EQ(t.datasets[0].data,
            (std::vector<std::optional<double>>{std::nullopt, std::nullopt, std::nullopt, 45.0}));
  EXPECT_EQ(t.datasets[1].data, (std::vector<std::optional<double>>{43.0, 44.0, 45.0, 46.0}));
}

TEST_F(SeriesQueries, ReportsAnUnknownTrendRunAsNotFound) {
  auto q = query_of(query_kind::wait_time_trend);
  q.simulation_ids = {"NIGHT_AI", "NO_SUCH_SIM"};
  const auto r = reader_.answer(q);
  EXPECT_EQ(r.status, storage_status::not_found);
  EXPECT_NE(r.error.find("NO_SUCH_SIM"), std::string::npos) << r.error;
  // Quotes and backslashes travel inside the JSON array text, escaped.
  q.simulation_ids = {"\"]'); DROP TABLE simulations; --", "back\\slash"};
  EXPECT_EQ(status_of(q), storage_status::not_found);
  q.simulation_ids = {"RUSH_AI"};
  EXPECT_EQ(ask<trend_chart>(q).datasets.size(), 1u);
}

// ---- performance scatter -------------------------------------------------------------------

TEST_F(SeriesQueries, PlotsOnePointPerRunWithItsMode) {
  const auto c = ask<scatter_chart>(query_of(query_kind::performance_scatter));
  EXPECT_EQ(c.by, scatter_level::simulation);
  ASSERT_EQ(c.points.size(), 5u);
  const auto& night_ai = c.points[0];
  EXPECT_EQ(night_ai.label, "NIGHT_AI");
  EXPECT_EQ(night_ai.simulation_id, "NIGHT_AI");
  EXPECT_FALSE(night_ai.intersection_id.has_value());
  EXPECT_EQ(night_ai.mode, run_mode::ai);
  EXPECT_NEAR(night_ai.x, 641.0 / 17, tolerance);
  EXPECT_NEAR(night_ai.y, 14.0 / 17, tolerance);
  EXPECT_EQ(night_ai.snapshots, 17);
  EXPECT_EQ(c.points[1].label, "NIGHT_BASE");
  EXPECT_EQ(c.points[1].mode, run_mode::baseline);
  EXPECT_NEAR(c.points[1].x, 39.5, tolerance);
  EXPECT_NEAR(c.points[1].y, 0.8125, tolerance);
  EXPECT_EQ(c.points[2].label, "RUSH_AI");
  EXPECT_NEAR(c.points[2].x, 29.5, tolerance);
  EXPECT_NEAR(c.points[2].y, 1.5625, tolerance);
  EXPECT_EQ(c.points[3].label, "RUSH_BASE");
  EXPECT_NEAR(c.points[3].x, 49.5, tolerance);
  EXPECT_NEAR(c.points[3].y, 1.0625, tolerance);
  EXPECT_EQ(c.points[4].label, "UNTAGGED");
  EXPECT_FALSE(c.points[4].mode.has_value());
  EXPECT_NEAR(c.points[4].x, 59.5, tolerance);
  EXPECT_NEAR(c.points[4].y, 0.6875, tolerance);
  EXPECT_EQ(c.points[4].snapshots, 20);
}

TEST_F(SeriesQueries, PlotsOnePointPerIntersectionOfAScenario) {
  auto q = query_of(query_kind::performance_scatter);
  q.by = scatter_level::intersection;
  q.scenario = "night";
  const auto c = ask<scatter_chart>(q);
  EXPECT_EQ(c.by, scatter_level::intersection);
  ASSERT_EQ(c.points.size(), 4u);
  EXPECT_EQ(c.points[0].label, "NIGHT_AI/INT_A");
  EXPECT_EQ(c.points[0].intersection_id, "INT_A");
  EXPECT_NEAR(c.points[0].x, 33.5, tolerance);
  EXPECT_NEAR(c.points[0].y, 0.8125, tolerance);
  EXPECT_EQ(c.points[0].snapshots, 10);
  EXPECT_EQ(c.points[1].label, "NIGHT_AI/INT_B");
  EXPECT_NEAR(c.points[1].x, 306.0 / 7, tolerance);
  EXPECT_NEAR(c.points[1].y, 5.875 / 7, tolerance);
  EXPECT_EQ(c.points[1].snapshots, 7);
  EXPECT_EQ(c.points[1].mode, run_mode::ai);
  EXPECT_EQ(c.points[2].label, "NIGHT_BASE/INT_A");
  EXPECT_NEAR(c.points[2].x, 34.5, tolerance);
  EXPECT_EQ(c.points[3].label, "NIGHT_BASE/INT_B");
  EXPECT_NEAR(c.points[3].x, 44.5, tolerance);
  EXPECT_EQ(c.points[3].mode, run_mode::baseline);

  q.scenario = "no_such_scenario";
  EXPECT_TRUE(ask<scatter_chart>(q).points.empty());
}

} // namespace
