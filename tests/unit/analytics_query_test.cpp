// Unit tests of the analytics query names, cache keys and dependencies.
#include "metrics/analytics_query.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace traffic::metrics;

namespace {

using ids = std::vector<std::string>;

analytics_query query_of(query_kind kind) {
  analytics_query q;
  q.kind = kind;
  return q;
}

/// A query of `kind` with every field set away from its default.
analytics_query everything_set(query_kind kind) {
  analytics_query q;
  q.kind = kind;
  q.filter.simulation_id = "sim";
  q.filter.intersection_id = "int";
  q.filter.approach = direction::west;
  q.filter.from = 1'000;
  q.filter.to = 2'000;
  q.group_by = group_key::hour;
  q.metric = series_metric::co2_saved;
  q.bucket_seconds = 300;
  q.baseline = "b";
  q.ai = "a";
  q.scenario = "rush";
  q.mode = run_mode::ai;
  q.block_seconds = 600;
  q.simulation_ids = {"s1", "s2"};
  q.by = scatter_level::intersection;
  q.limit = 5;
  return q;
}

const query_kind all_kinds[] = {
    query_kind::summary,         query_kind::wait_times,
    query_kind::speeds,          query_kind::environmental_impact,
    query_kind::comparison,      query_kind::emergency_report,
    query_kind::time_series,     query_kind::performance_dashboard,
    query_kind::wait_time_trend, query_kind::performance_scatter,
    query_kind::simulations,
};

} // namespace

TEST(AnalyticsQueryNames, RoundTripEverySpelling) {
  for (auto g :
       {group_key::direction, group_key::intersection, group_key::simulation, group_key::hour})
    EXPECT_EQ(parse_group_key(to_string(g)), g);
  EXPECT_EQ(to_string(group_key::none), "none");
  EXPECT_EQ(to_string(series_metric::total_vehicles_passed), "total_vehicles_passed");
  EXPECT_EQ(to_string(series_metric::emergency_overrides), "emergency_overrides");
  for (auto m : {series_metric::total_vehicles_passed, series_metric::avg_wait_time_all_sides,
                 series_metric::throughput, series_metric::avg_speed, series_metric::fuel_saved,
                 series_metric::co2_saved, series_metric::emergency_overrides})
    EXPECT_EQ(parse_series_metric(to_string(m)), m);
  EXPECT_EQ(parse_scatter_level("simulation"), scatter_level::simulation);
  EXPECT_EQ(parse_scatter_level("intersection"), scatter_level::intersection);
  EXPECT_EQ(to_string(scatter_level::intersection), "intersection");
}

TEST(AnalyticsQueryNames, RejectsNoneCaseVariantsAndUnknownWords) {
  EXPECT_FALSE(parse_group_key("none"));
  EXPECT_FALSE(parse_group_key("Direction"));
  EXPECT_FALSE(parse_group_key(""));
  EXPECT_FALSE(parse_series_metric("avg_wait"));
  EXPECT_FALSE(parse_series_metric("AVG_SPEED"));
  EXPECT_FALSE(parse_scatter_level("run"));
}

TEST(AnalyticsQueryKey, IsEqualForEqualQueriesAndDiffersBetweenKinds) {
  std::vector<std::string> keys;
  for (auto kind : all_kinds) {
    EXPECT_EQ(everything_set(kind).cache_key(), everything_set(kind).cache_key());
    keys.push_back(everything_set(kind).cache_key());
  }
  for (std::size_t i = 0; i < keys.size(); ++i)
    for (std::size_t j = i + 1; j < keys.size(); ++j)
      EXPECT_NE(keys[i], keys[j]) << keys[i];
}

TEST(AnalyticsQueryKey, IgnoresFieldsTheKindDoesNotUse) {
  // Each kind: the fields it does not use changed from everything_set must keep the key.
  auto summary = query_of(query_kind::summary);
  summary.filter.simulation_id = "sim";
  EXPECT_EQ(summary.cache_key(), everything_set(query_kind::summary).cache_key());

  auto speeds = everything_set(query_kind::speeds);
  speeds.filter.approach = direction::north;
  speeds.limit = 77;
  speeds.metric = series_metric::avg_speed;
  EXPECT_EQ(speeds.cache_key(), everything_set(query_kind::speeds).cache_key());

  auto environmental = everything_set(query_kind::environmental_impact);
  environmental.group_by = group_key::none;
  environmental.filter.approach.reset();
  EXPECT_EQ(environmental.cache_key(),
            everything_set(query_kind::environmental_impact).cache_key());

  auto dashboard = query_of(query_kind::performance_dashboard);
  dashboard.block_seconds = 600;
  EXPECT_EQ(dashboard.cache_key(), everything_set(query_kind::performance_dashboard).cache_key());

  auto scatter = query_of(query_kind::performance_scatter);
  scatter.by = scatter_level::intersection;
  scatter.scenario = "rush";
  EXPECT_EQ(scatter.cache_key(), everything_set(query_kind::performance_scatter).cache_key());

  auto trend = everything_set(query_kind::wait_time_trend);
  trend.filter.simulation_id.reset();
  trend.metric = series_metric::throughput;
  EXPECT_EQ(trend.cache_key(), everything_set(query_kind::wait_time_trend).cache_key());
}

TEST(AnalyticsQueryKey, ChangesWithEveryFieldTheKindUses) {
  auto base = everything_set(query_kind::wait_times);
  auto changed = [&](auto change) {
    auto q = base;
    change(q);
    return q.cache_key() != base.cache_key();
  };
  EXPECT_TRUE(changed([](analytics_query& q) { q.filter.simulation_id = "other"; }));
  EXPECT_TRUE(changed([](analytics_query& q) { q.filter.intersection_id.reset(); }));
  EXPECT_TRUE(changed([](analytics_query& q) { q.filter.approach = direction::east; }));
  EXPECT_TRUE(changed([](analytics_query& q) { q.filter.from = 1'001; }));
  EXPECT_TRUE(changed([](analytics_query& q) { q.filter.to.reset(); }));
  EXPECT_TRUE(changed([](analytics_query& q) { q.group_by = group_key::direction; }));

  auto series = everything_set(query_kind::time_series);
  auto series_changed = series;
  series_changed.metric = series_metric::avg_speed;
  EXPECT_NE(series_changed.cache_key(), series.cache_key());
  series_changed = series;
  series_changed.bucket_seconds = 60;
  EXPECT_NE(series_changed.cache_key(), series.cache_key());

  auto listing = everything_set(query_kind::simulations);
  auto listing_changed = listing;
  listing_changed.mode.reset();
  EXPECT_NE(listing_changed.cache_key(), listing.cache_key());
}

TEST(AnalyticsQueryKey, DoesNotLetSeparatorsInValuesCollide) {
  auto comparison = [](std::optional<std::string> baseline, std::optional<std::string> ai) {
    auto q = query_of(query_kind::comparison);
    q.baseline = std::move(baseline);
    q.ai = std::move(ai);
    return q.cache_key();
  };
  EXPECT_NE(comparison("a;ai=1:b", std::nullopt), comparison("a", "b"));
  EXPECT_NE(comparison("a;", "b"), comparison("a", ";b"));
  EXPECT_NE(comparison("~", std::nullopt), comparison(std::nullopt, std::nullopt));
  EXPECT_NE(comparison("", std::nullopt), comparison(std::nullopt, std::nullopt));
  EXPECT_NE(comparison("1:a", "b"), comparison("a", "b"));

  auto filtered = [](std::optional<std::string> simulation, std::optional<std::string> at) {
    auto q = query_of(query_kind::environmental_impact);
    q.filter.simulation_id = std::move(simulation);
    q.filter.intersection_id = std::move(at);
    return q.cache_key();
  };
  EXPECT_NE(filtered("s;intersection_id=1:x", "y"), filtered("s", "x;intersection_id=1:y"));
  EXPECT_NE(filtered("s=", "x"), filtered("s", "=x"));

  auto trend = [](std::vector<std::string> simulations) {
    auto q = query_of(query_kind::wait_time_trend);
    q.simulation_ids = std::move(simulations);
    return q.cache_key();
  };
  EXPECT_NE(trend({"a,b"}), trend({"a", "b"}));
  EXPECT_NE(trend({"a,1:b"}), trend({"a", "b"}));
  EXPECT_NE(trend({}), trend({""}));
}

TEST(AnalyticsQueryKey, NormalisesTheOrderOfTrendSimulations) {
  auto trend = [](std::vector<std::string> simulations) {
    auto q = query_of(query_kind::wait_time_trend);
    q.simulation_ids = std::move(simulations);
    return q.cache_key();
  };
  EXPECT_EQ(trend({"b", "a"}), trend({"a", "b"}));
  EXPECT_EQ(trend({"a", "b", "a"}), trend({"a", "b"}));
}

TEST(AnalyticsQueryDependsOn, NamesTheFilteredSimulation) {
  for (auto kind :
       {query_kind::summary, query_kind::time_series, query_kind::wait_times, query_kind::speeds,
        query_kind::environmental_impact, query_kind::emergency_report}) {
    EXPECT_EQ(everything_set(kind).depends_on(), ids{"sim"});
    EXPECT_TRUE(query_of(kind).depends_on().empty()); // unfiltered: every simulation
  }
}

TEST(AnalyticsQueryDependsOn, NamesBothComparedRunsSortedAndDistinct) {
  auto q = query_of(query_kind::comparison);
  q.baseline = "zeta";
  q.ai = "alpha";
  EXPECT_EQ(q.depends_on(), (ids{"alpha", "zeta"}));
  q.ai = "zeta";
  EXPECT_EQ(q.depends_on(), ids{"zeta"});
  q.scenario = "rush"; // ids win over a scenario, as the storage reader does
  EXPECT_EQ(q.depends_on(), ids{"zeta"});

  auto by_scenario = query_of(query_kind::comparison);
  by_scenario.scenario = "rush";
  EXPECT_TRUE(by_scenario.depends_on().empty());
}

TEST(AnalyticsQueryDependsOn, NamesTheTrendSimulationsOrEverything) {
  auto q = query_of(query_kind::wait_time_trend);
  q.simulation_ids = {"s2", "s1", "s2"};
  EXPECT_EQ(q.depends_on(), (ids{"s1", "s2"}));
  EXPECT_TRUE(query_of(query_kind::wait_time_trend).depends_on().empty());
}

TEST(AnalyticsQueryDependsOn, DependsOnEverythingForCrossRunAnswers) {
  for (auto kind : {query_kind::performance_dashboard, query_kind::performance_scatter,
                    query_kind::simulations})
    EXPECT_TRUE(everything_set(kind).depends_on().empty());
}
