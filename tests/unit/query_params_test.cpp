// Query strings of the read endpoints: splitting, every rule and error path, defaults, and
// normalisation into one analytics_query.
#include "http/query_params.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/timestamp.hpp"

namespace {

using traffic::http::decode_detail;
using traffic::http::parse_analytics_query;
using traffic::http::percent_decode;
using traffic::http::query_parse_result;
using traffic::http::scenario_problem;
using traffic::http::split_query_string;
using traffic::metrics::analytics_query;
using traffic::metrics::direction;
using traffic::metrics::group_key;
using traffic::metrics::parse_rfc3339;
using traffic::metrics::query_kind;
using traffic::metrics::run_mode;
using traffic::metrics::scatter_level;
using traffic::metrics::series_metric;

/// Returns the parsed query, failing the test with every error when there is none.
analytics_query parsed(query_kind kind, std::string_view text,
                       std::optional<std::string> path_id = std::nullopt) {
  auto result = parse_analytics_query(kind, text, std::move(path_id));
  for (const auto& e : result.errors)
    ADD_FAILURE() << text << ": " << e.path << ": " << e.message;
  return result.query.value_or(analytics_query{});
}

/// Returns the paths of the errors, in order.
std::vector<std::string> paths_of(const query_parse_result& result) {
  std::vector<std::string> paths;
  for (const auto& e : result.errors)
    paths.push_back(e.path);
  return paths;
}

/// Expects the fields every kind leaves alone unless it uses them to hold their defaults.
void expect_defaults_except_filter(const analytics_query& q) {
  EXPECT_EQ(q.group_by, group_key::none);
  EXPECT_EQ(q.metric, series_metric::avg_wait_time_all_sides);
  EXPECT_EQ(q.bucket_seconds, 60);
  EXPECT_FALSE(q.baseline);
  EXPECT_FALSE(q.ai);
  EXPECT_FALSE(q.scenario);
  EXPECT_FALSE(q.mode);
  EXPECT_EQ(q.block_seconds, 300);
  EXPECT_TRUE(q.simulation_ids.empty());
  EXPECT_EQ(q.by, scatter_level::simulation);
  EXPECT_EQ(q.limit, 1000);
}

} // namespace

// ---- splitting and text rules ----------------------------------------------------------------

TEST(QueryString, SplitsAndPercentDecodesPairs) {
  std::vector<decode_detail> errors;
  auto params = split_query_string("a=1&b=rush+hour%20am&&c&d=%41%2b%2F&", errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0].name, "a");
  EXPECT_EQ(params[0].value, "1");
  EXPECT_EQ(params[1].value, "rush hour am");
  EXPECT_EQ(params[2].name, "c");
  EXPECT_EQ(params[2].value, "");
  EXPECT_EQ(params[3].value, "A+/");
}

TEST(QueryString, ReportsABrokenEscapeByParameterName) {
  std::vector<decode_detail> errors;
  auto params = split_query_string("sc%65nario=%zz&x%2=1&limit=5%", errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].path, "scenario");
  EXPECT_NE(errors[0].message.find("percent escape"), std::string::npos);
  EXPECT_EQ(errors[1].path, "x%2"); // the name itself is broken: named as written
  EXPECT_EQ(errors[2].path, "limit");
  ASSERT_EQ(params.size(), 2u); // a broken value keeps its parameter, unset
  EXPECT_EQ(params[0].name, "scenario");
  EXPECT_FALSE(params[0].value);
  EXPECT_EQ(params[1].name, "limit");
  EXPECT_FALSE(params[1].value);
}

TEST(QueryString, PercentDecodesOrRefuses) {
  EXPECT_EQ(percent_decode("%41b+c%2b"), "Ab c+");
  EXPECT_EQ(percent_decode(""), "");
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%g1"), std::nullopt);
  EXPECT_EQ(percent_decode("a%4x"), std::nullopt);
}

TEST(QueryString, AcceptsScenarioNamesAsIngestDoes) {
  EXPECT_EQ(scenario_problem("rush hour"), std::nullopt);
  EXPECT_EQ(scenario_problem("Straße – Süd"), std::nullopt);
  EXPECT_EQ(scenario_problem(std::string(256, 'a')), std::nullopt);
  std::string accented;
  for (int i = 0; i < 256; ++i)
    accented += "é"; // 512 bytes, 256 characters
  EXPECT_EQ(scenario_problem(accented), std::nullopt);
}

TEST(QueryString, RefusesBadScenarioNames) {
  EXPECT_EQ(scenario_problem(""), "must be 1 to 256 characters");
  EXPECT_EQ(scenario_problem(std::string(257, 'a')), "must be 1 to 256 characters");
  EXPECT_EQ(scenario_problem("a\tb"), "must not contain control characters");
  EXPECT_EQ(scenario_problem("a\x7f"), "must not contain control characters");
  EXPECT_EQ(scenario_problem("a\xc2\x85"), "must not contain control characters"); // NEL
  EXPECT_EQ(scenario_problem("a\xc3"), "must be valid UTF-8");                     // truncated
  EXPECT_EQ(scenario_problem("\xc0\xaf"), "must be valid UTF-8");                  // overlong
  EXPECT_EQ(scenario_problem("\xed\xa0\x80"), "must be valid UTF-8");              // surrogate
  EXPECT_EQ(scenario_problem("\xf4\x90\x80\x80"), "must be valid UTF-8");          // past U+10FFFF
  EXPECT_EQ(scenario_problem("\xff"), "must be valid UTF-8");
}

// ---- defaults and accepted values ------------------------------------------------------------

TEST(AnalyticsQuery, GivesDefaultsWhenNothingIsGiven) {
  for (auto kind :
       {query_kind::wait_times, query_kind::speeds, query_kind::environmental_impact,
        query_kind::emergency_report, query_kind::performance_dashboard,
        query_kind::wait_time_trend, query_kind::performance_scatter, query_kind::simulations}) {
    auto q = parsed(kind, "");
    EXPECT_EQ(q.kind, kind);
    EXPECT_FALSE(q.filter.simulation_id);
    EXPECT_FALSE(q.filter.intersection_id);
    EXPECT_FALSE(q.filter.approach);
    EXPECT_FALSE(q.filter.from);
    EXPECT_FALSE(q.filter.to);
    expect_defaults_except_filter(q);
  }
}

TEST(AnalyticsQuery, TakesTheSummaryIdFromThePath) {
  auto q = parsed(query_kind::summary, "", "SIM_1");
  EXPECT_EQ(q.kind, query_kind::summary);
  EXPECT_EQ(q.filter.simulation_id, "SIM_1");
  expect_defaults_except_filter(q);
}

TEST(AnalyticsQuery, IgnoresAPathIdOfKindsWithoutOne) {
  auto q = parsed(query_kind::wait_times, "", "SIM_1");
  EXPECT_FALSE(q.filter.simulation_id);
}

TEST(AnalyticsQuery, ParsesEveryWaitTimeFilter) {
  auto q = parsed(query_kind::wait_times,
                  "simulation_id=SIM_1&intersection_id=INT_001&direction=NorthEast"
                  "&from=2025-09-10T07:00:00%2B02:00&to=2025-09-10T06:00:00Z&group_by=hour");
  EXPECT_EQ(q.filter.simulation_id, "SIM_1");
  EXPECT_EQ(q.filter.intersection_id, "INT_001");
  EXPECT_EQ(q.filter.approach, direction::north_east);
  EXPECT_EQ(q.filter.from, parse_rfc3339("2025-09-10T05:00:00Z"));
  EXPECT_EQ(q.filter.to, parse_rfc3339("2025-09-10T06:00:00Z"));
  EXPECT_EQ(q.group_by, group_key::hour);
  EXPECT_EQ(q.limit, 1000); // unused fields keep their defaults
  EXPECT_EQ(q.bucket_seconds, 60);
}

TEST(AnalyticsQuery, AcceptsBothDirectionSpellings) {
  EXPECT_EQ(parsed(query_kind::wait_times, "direction=south_west").filter.approach,
            direction::south_west);
  EXPECT_EQ(parsed(query_kind::wait_times, "direction=southwest").filter.approach,
            direction::south_west);
  EXPECT_EQ(parsed(query_kind::emergency_report, "direction=north").filter.approach,
            direction::north);
}

TEST(AnalyticsQuery, AcceptsEveryGroupingOfWaitTimes) {
  EXPECT_EQ(parsed(query_kind::wait_times, "group_by=direction").group_by, group_key::direction);
  EXPECT_EQ(parsed(query_kind::wait_times, "group_by=intersection").group_by,
            group_key::intersection);
  EXPECT_EQ(parsed(query_kind::wait_times, "group_by=simulation").group_by, group_key::simulation);
  EXPECT_EQ(parsed(query_kind::speeds, "group_by=intersection").group_by, group_key::intersection);
}

TEST(AnalyticsQuery, AcceptsFromEqualToTo) {
  auto q = parsed(query_kind::speeds, "from=2025-09-10T07:00:00Z&to=2025-09-10T07:00:00Z");
  EXPECT_EQ(q.filter.from, q.filter.to);
}

TEST(AnalyticsQuery, ParsesEnvironmentalFilters) {
  auto q = parsed(query_kind::environmental_impact, "intersection_id=INT_2&simulation_id=S");
  EXPECT_EQ(q.filter.intersection_id, "INT_2");
  EXPECT_EQ(q.filter.simulation_id, "S");
  expect_defaults_except_filter(q);
}

TEST(AnalyticsQuery, ParsesAComparisonByIds) {
  auto q = parsed(query_kind::comparison, "ai=SIM_AI&baseline=SIM_BASE&block=10m");
  EXPECT_EQ(q.baseline, "SIM_BASE");
  EXPECT_EQ(q.ai, "SIM_AI");
  EXPECT_FALSE(q.scenario);
  EXPECT_EQ(q.block_seconds, 600);
  EXPECT_FALSE(q.filter.simulation_id);
}

TEST(AnalyticsQuery, ParsesAComparisonByScenario) {
  auto q = parsed(query_kind::comparison, "scenario=rush+hour");
  EXPECT_EQ(q.scenario, "rush hour");
  EXPECT_FALSE(q.baseline);
  EXPECT_EQ(q.block_seconds, 300);
}

TEST(AnalyticsQuery, ParsesAnEmergencyReport) {
  auto q = parsed(query_kind::emergency_report, "limit=25&direction=west&intersection_id=I");
  EXPECT_EQ(q.limit, 25);
  EXPECT_EQ(q.filter.approach, direction::west);
  EXPECT_EQ(parsed(query_kind::emergency_report, "limit=10000").limit, 10000);
  EXPECT_EQ(parsed(query_kind::emergency_report, "limit=1").limit, 1);
  EXPECT_EQ(parsed(query_kind::emergency_report, "limit=007").limit, 7);
}

TEST(AnalyticsQuery, ParsesATimeSeries) {
  auto q = parsed(query_kind::time_series, "", "SIM_1");
  EXPECT_EQ(q.filter.simulation_id, "SIM_1");
  EXPECT_EQ(q.metric, series_metric::avg_wait_time_all_sides);
  EXPECT_EQ(q.bucket_seconds, 60);

  q = parsed(query_kind::time_series, "metric=co2_saved&bucket=5m&intersection_id=INT_1", "S");
  EXPECT_EQ(q.metric, series_metric::co2_saved);
  EXPECT_EQ(q.bucket_seconds, 300);
  EXPECT_EQ(q.filter.intersection_id, "INT_1");
  EXPECT_EQ(parsed(query_kind::time_series, "bucket=1s", "S").bucket_seconds, 1);
  EXPECT_EQ(parsed(query_kind::time_series, "bucket=1d", "S").bucket_seconds, 86400);
  EXPECT_EQ(parsed(query_kind::time_series, "bucket=24h", "S").bucket_seconds, 86400);
}

TEST(AnalyticsQuery, ParsesTheDashboardBlock) {
  EXPECT_EQ(parsed(query_kind::performance_dashboard, "block=1h").block_seconds, 3600);
}

TEST(AnalyticsQuery, ParsesTheScatter) {
  auto q = parsed(query_kind::performance_scatter, "by=intersection&scenario=s1");
  EXPECT_EQ(q.by, scatter_level::intersection);
  EXPECT_EQ(q.scenario, "s1");
}

TEST(AnalyticsQuery, ParsesTheSimulationList) {
  auto q = parsed(query_kind::simulations, "mode=AI&scenario=s1&limit=50");
  EXPECT_EQ(q.mode, run_mode::ai);
  EXPECT_EQ(q.scenario, "s1");
  EXPECT_EQ(q.limit, 50);
  EXPECT_EQ(parsed(query_kind::simulations, "mode=baseline").mode, run_mode::baseline);
}

// ---- normalisation ---------------------------------------------------------------------------

TEST(AnalyticsQuery, IgnoresTheOrderOfParameters) {
  auto a = parsed(query_kind::wait_times,
                  "simulation_id=S&intersection_id=I&from=2025-09-10T07:00:00Z&group_by=direction");
  auto b = parsed(query_kind::wait_times,
                  "group_by=direction&from=2025-09-10T07:00:00Z&intersection_id=I&simulation_id=S");
  EXPECT_EQ(a.filter.simulation_id, b.filter.simulation_id);
  EXPECT_EQ(a.filter.intersection_id, b.filter.intersection_id);
  EXPECT_EQ(a.filter.from, b.filter.from);
  EXPECT_EQ(a.group_by, b.group_by);
  EXPECT_EQ(a.cache_key(), b.cache_key());
}

TEST(AnalyticsQuery, SortsAndDeduplicatesTrendIds) {
  auto q = parsed(query_kind::wait_time_trend,
                  "simulation_id=SIM_C,SIM_A&bucket=10s&simulation_id=SIM_B&simulation_id=SIM_A");
  EXPECT_EQ(q.simulation_ids, (std::vector<std::string>{"SIM_A", "SIM_B", "SIM_C"}));
  EXPECT_EQ(q.bucket_seconds, 10);
  EXPECT_FALSE(q.filter.simulation_id);

  auto same = parsed(query_kind::wait_time_trend, "simulation_id=SIM_B,SIM_A,SIM_C&bucket=10s");
  EXPECT_EQ(same.simulation_ids, q.simulation_ids);
}

TEST(AnalyticsQuery, AcceptsTwentyDistinctTrendIds) {
  std::string text = "simulation_id=S0";
  for (int i = 0; i < 20; ++i)
    text += (i % 2 ? "&simulation_id=S" : ",S") + std::to_string(i);
  EXPECT_EQ(parsed(query_kind::wait_time_trend, text).simulation_ids.size(), 20u);
}

// ---- every error names its parameter ---------------------------------------------------------

namespace {

struct error_case {
  const char* name; ///< the test's name suffix
  query_kind kind;
  std::string query;
  std::optional<std::string> path_id;
  std::string path;     ///< the one error's parameter
  std::string fragment; ///< part of its message
};

std::ostream& operator<<(std::ostream& os, const error_case& c) {
  return os << c.name << ": \"" << c.query << "\" -> " << c.path;
}

class QueryError : public testing::TestWithParam<error_case> {};

TEST_P(QueryError, NamesTheParameter) {
  const auto& c = GetParam();
  auto result = parse_analytics_query(c.kind, c.query, c.path_id);
  EXPECT_FALSE(result.query);
  ASSERT_EQ(result.errors.size(), 1u) << testing::PrintToString(paths_of(result));
  EXPECT_EQ(result.errors[0].path, c.path);
  EXPECT_NE(result.errors[0].message.find(c.fragment), std::string::npos)
      << result.errors[0].message;
  EXPECT_FALSE(result.errors[0].index);
}

const std::string twenty_one_ids = [] {
  std::string text = "simulation_id=S0";
  for (int i = 1; i < 21; ++i)
    text += ",S" + std::to_string(i);
  return text;
}();

const auto wt = query_kind::wait_times;
const auto cmp = query_kind::comparison;
const auto er = query_kind::emergency_report;
const auto ts = query_kind::time_series;
const auto trend = query_kind::wait_time_trend;

const error_case error_cases[] = {
    {"Unknown",
     wt,
     "foo=1",
     {},
     "foo",
     "unknown parameter; this endpoint accepts simulation_id, intersection_id, direction, from, "
     "to, group_by"},
    {"UnknownOnSummary", query_kind::summary, "x=1", "S", "x",
     "unknown parameter; this endpoint accepts no query parameters"},
    {"LimitNotOnWaitTimes", wt, "limit=5", {}, "limit", "unknown parameter"},
    {"BlockNotOnScatter",
     query_kind::performance_scatter,
     "block=5m",
     {},
     "block",
     "this endpoint accepts by, scenario"},
    {"Repeated", wt, "simulation_id=A&simulation_id=B", {}, "simulation_id", "more than once"},
    {"RepeatedThrice", er, "limit=1&limit=2&limit=3", {}, "limit", "more than once"},
    {"RepeatedEvenIfEqual", wt, "group_by=hour&group_by=hour", {}, "group_by", "more than once"},
    {"EmptyValue", wt, "intersection_id=", {}, "intersection_id", "is empty; it must be 1 to 128"},
    {"NoEquals", er, "direction", {}, "direction", "is empty"},
    {"BadSimulationId",
     wt,
     "simulation_id=SIM+1",
     {},
     "simulation_id",
     "must be 1 to 128 letters, digits, '_', '-', '.' or ':'"},
    {"TooLongId", wt, "simulation_id=" + std::string(129, 'a'), {}, "simulation_id", "1 to 128"},
    {"BadIntersectionId", er, "intersection_id=a/b", {}, "intersection_id", "1 to 128"},
    {"BadDirection", wt, "direction=up", {}, "direction", "a compass direction"},
    {"FromWithoutZone", wt, "from=2025-09-10T07:00:00", {}, "from", "RFC 3339"},
    {"BadTo", er, "to=yesterday", {}, "to", "RFC 3339"},
    {"FromAfterTo",
     wt,
     "from=2025-09-10T07:00:01Z&to=2025-09-10T07:00:00Z",
     {},
     "from",
     "from is after to"},
    {"BadGroup", wt, "group_by=day", {}, "group_by", "direction, intersection, simulation or hour"},
    {"GroupNone", wt, "group_by=none", {}, "group_by", "direction, intersection"},
    {"SpeedsByDirection",
     query_kind::speeds,
     "group_by=direction",
     {},
     "group_by",
     "speeds are recorded per snapshot, not per approach"},
    {"SpeedsDirectionFilter",
     query_kind::speeds,
     "direction=north",
     {},
     "direction",
     "speeds are recorded per snapshot, not per approach; this endpoint accepts simulation_id"},
    {"BadMetric", ts, "metric=speed", "S", "metric", "avg_wait_time_all_sides"},
    {"BucketWithoutUnit", ts, "bucket=10", "S", "bucket", "a duration from 1s to 1d"},
    {"BucketZero", ts, "bucket=0s", "S", "bucket", "1s to 1d"},
    {"BucketOverADay", ts, "bucket=2d", "S", "bucket", "1s to 1d"},
    {"BucketOverADayInHours", trend, "bucket=25h", {}, "bucket", "1s to 1d"},
    {"BucketFraction", trend, "bucket=1.5h", {}, "bucket", "1s to 1d"},
    {"BadBlock", query_kind::performance_dashboard, "block=-5m", {}, "block", "1s to 1d"},
    {"BlockTooLong", cmp, "scenario=s&block=86401s", {}, "block", "1s to 1d"},
    {"BadBy", query_kind::performance_scatter, "by=hour", {}, "by", "simulation or intersection"},
    {"BadMode", query_kind::simulations, "mode=fast", {}, "mode", "baseline or ai"},
    {"LimitZero", er, "limit=0", {}, "limit", "an integer from 1 to 10000"},
    {"LimitTooBig", query_kind::simulations, "limit=10001", {}, "limit", "1 to 10000"},
    {"LimitNegative", er, "limit=-1", {}, "limit", "1 to 10000"},
    {"LimitPlus", er, "limit=%2B5", {}, "limit", "1 to 10000"},
    {"LimitText", er, "limit=ten", {}, "limit", "1 to 10000"},
    {"LimitExponent", er, "limit=1e3", {}, "limit", "1 to 10000"},
    {"LimitOverflow", er, "limit=99999999999999999999", {}, "limit", "1 to 10000"},
    {"ScenarioTooLong",
     query_kind::simulations,
     "scenario=" + std::string(257, 's'),
     {},
     "scenario",
     "1 to 256 characters"},
    {"ScenarioControl",
     query_kind::performance_scatter,
     "scenario=a%0Ab",
     {},
     "scenario",
     "without control characters"},
    {"ScenarioNotUtf8", query_kind::performance_scatter, "scenario=%FF", {}, "scenario", "UTF-8"},
    {"BrokenEscape", wt, "intersection_id=%zz", {}, "intersection_id", "percent escape"},
    {"BadBaseline", cmp, "baseline=a%20b&ai=B", {}, "baseline", "1 to 128"},
    {"BadAi", cmp, "baseline=A&ai=", {}, "ai", "is empty"},
    {"BaselineWithoutAi", cmp, "baseline=A", {}, "ai", "is required with baseline"},
    {"AiWithoutBaseline", cmp, "ai=B&block=5m", {}, "baseline", "is required with ai"},
    {"BothForms", cmp, "baseline=A&ai=B&scenario=s", {}, "scenario", "not both"},
    {"BaselineAndScenario", cmp, "baseline=A&scenario=s", {}, "scenario", "not both"},
    {"NeitherForm", cmp, "block=5m", {}, "baseline", "give baseline and ai"},
    {"SameRuns", cmp, "baseline=A&ai=A", {}, "ai", "must differ from baseline"},
    {"TooManyTrendIds", trend, twenty_one_ids, {}, "simulation_id", "at most 20"},
    {"EmptyTrendId",
     trend,
     "simulation_id=A,,B",
     {},
     "simulation_id",
     "simulation ids separated by commas"},
    {"TrailingComma", trend, "simulation_id=A,", {}, "simulation_id", "separated by commas"},
    {"BadTrendId", trend, "simulation_id=A&simulation_id=b%20c", {}, "simulation_id", "1 to 128"},
    {"BadSummaryPathId", query_kind::summary, "", "bad id", "simulation_id", "1 to 128"},
    {"MissingSummaryPathId", query_kind::summary, "", {}, "simulation_id", "is required"},
    {"BadSeriesPathId", ts, "metric=throughput", "", "simulation_id", "1 to 128"},
    {"SimulationIdNotOnSeries", ts, "simulation_id=S", "S", "simulation_id", "unknown parameter"},
};

} // namespace

INSTANTIATE_TEST_SUITE_P(AnalyticsQuery, QueryError, testing::ValuesIn(error_cases),
                         [](const testing::TestParamInfo<error_case>& info) {
                           return std::string{info.param.name};
                         });

TEST(AnalyticsQuery, CollectsEveryError) {
  auto result = parse_analytics_query(query_kind::emergency_report,
                                      "simulation_id=bad+id&direction=up&foo=1&limit=0&limit=5"
                                      "&from=2025-09-10T08:00:00Z&to=2025-09-10T07:00:00Z");
  EXPECT_FALSE(result.query);
  EXPECT_EQ(paths_of(result), (std::vector<std::string>{"simulation_id", "direction", "foo",
                                                        "limit", "limit", "from"}));
}

TEST(AnalyticsQuery, ReportsABrokenEscapeOnlyOnce) {
  auto result = parse_analytics_query(query_kind::comparison, "baseline=%zz&ai=B");
  EXPECT_EQ(paths_of(result), (std::vector<std::string>{"baseline"}));
}

TEST(AnalyticsQuery, PutsThePathIdErrorFirst) {
  auto result = parse_analytics_query(query_kind::time_series, "metric=x", "a b");
  EXPECT_EQ(paths_of(result), (std::vector<std::string>{"simulation_id", "metric"}));
}

// ---- clear-cache ------------------------------------------------------------------------------

TEST(ClearCacheQuery, TakesAnOptionalSimulationId) {
  auto all = traffic::http::parse_clear_cache_query("");
  EXPECT_TRUE(all.errors.empty());
  EXPECT_FALSE(all.simulation_id);
  auto one = traffic::http::parse_clear_cache_query("simulation_id=SIM%5F1");
  EXPECT_TRUE(one.errors.empty());
  EXPECT_EQ(one.simulation_id, "SIM_1");
}

TEST(ClearCacheQuery, NamesEachBadParameter) {
  auto result =
      traffic::http::parse_clear_cache_query("simulation_id=a+b&scope=all&simulation_id=C");
  EXPECT_FALSE(result.simulation_id);
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_EQ(result.errors[0].path, "simulation_id");
  EXPECT_NE(result.errors[0].message.find("1 to 128"), std::string::npos);
  EXPECT_EQ(result.errors[1].path, "scope");
  EXPECT_EQ(result.errors[1].message, "unknown parameter; this endpoint accepts simulation_id");
  EXPECT_EQ(result.errors[2].path, "simulation_id");
  EXPECT_NE(result.errors[2].message.find("more than once"), std::string::npos);
}
