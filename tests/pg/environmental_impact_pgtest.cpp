// Fuel and CO2 saved overall, per intersection and per hour, against tests/fixtures/README.md.
#include <cstdint>

#include <gtest/gtest.h>

#include "tests/pg/analytics_fixture.hpp"

namespace {

using traffic::metrics::environmental_report;
using traffic::metrics::environmental_totals;
using traffic::metrics::query_kind;
using traffic::tests::AnalyticsData;
using traffic::tests::query_of;
using traffic::tests::tick;

using EnvironmentalImpact = AnalyticsData;

/// Sums of binary fractions are exact; the tolerance only guards the summation order.
constexpr double tolerance = 1e-9;

void expect_totals(const environmental_totals& t, std::int64_t snapshots, double fuel, double co2) {
  EXPECT_EQ(t.snapshots, snapshots);
  EXPECT_NEAR(t.fuel_saved, fuel, tolerance);
  EXPECT_NEAR(t.co2_saved, co2, tolerance);
}

TEST_F(EnvironmentalImpact, SumsSavingsOverallPerIntersectionAndPerHour) {
  const auto r = ask<environmental_report>(query_of(query_kind::environmental_impact));
  expect_totals(r.overall, 97, 40.25, 80.5);
  ASSERT_EQ(r.per_intersection.size(), 2u);
  EXPECT_EQ(r.per_intersection[0].key, "INT_A");
  expect_totals(r.per_intersection[0].totals, 50, 15, 30);
  EXPECT_EQ(r.per_intersection[1].key, "INT_B");
  expect_totals(r.per_intersection[1].totals, 47, 25.25, 50.5);
  ASSERT_EQ(r.per_hour.size(), 2u);
  EXPECT_EQ(r.per_hour[0].key, "2025-09-10T07:00:00Z");
  expect_totals(r.per_hour[0].totals, 48, 19.75, 39.5);
  EXPECT_EQ(r.per_hour[1].key, "2025-09-10T08:00:00Z");
  expect_totals(r.per_hour[1].totals, 49, 20.5, 41);
}

TEST_F(EnvironmentalImpact, SumsSavingsUnderSimulationIntersectionAndRangeFilters) {
  auto q = query_of(query_kind::environmental_impact);
  q.filter.simulation_id = "NIGHT_AI";
  q.filter.from = tick(3);
  q.filter.to = tick(6);
  const auto r = ask<environmental_report>(q);
  expect_totals(r.overall, 5, 2.75, 5.5);
  ASSERT_EQ(r.per_intersection.size(), 2u);
  expect_totals(r.per_intersection[0].totals, 4, 2, 4);
  expect_totals(r.per_intersection[1].totals, 1, 0.75, 1.5);
  ASSERT_EQ(r.per_hour.size(), 2u);
  expect_totals(r.per_hour[0].totals, 2, 1, 2);
  expect_totals(r.per_hour[1].totals, 3, 1.75, 3.5);

  auto one = query_of(query_kind::environmental_impact);
  one.filter.simulation_id = "RUSH_AI";
  one.filter.intersection_id = "INT_B";
  const auto b = ask<environmental_report>(one);
  expect_totals(b.overall, 10, 17.5, 35);
  ASSERT_EQ(b.per_intersection.size(), 1u);
  EXPECT_EQ(b.per_intersection[0].key, "INT_B");
  ASSERT_EQ(b.per_hour.size(), 2u);
  expect_totals(b.per_hour[0].totals, 5, 8.75, 17.5);
  expect_totals(b.per_hour[1].totals, 5, 8.75, 17.5);
}

TEST_F(EnvironmentalImpact, AnswersNoSavingsForAnEmptyRange) {
  auto q = query_of(query_kind::environmental_impact);
  q.filter.simulation_id = "UNTAGGED";
  q.filter.to = tick(-1);
  const auto r = ask<environmental_report>(q);
  expect_totals(r.overall, 0, 0, 0);
  EXPECT_TRUE(r.per_intersection.empty());
  EXPECT_TRUE(r.per_hour.empty());
}

} // namespace
