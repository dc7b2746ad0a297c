// End-to-end tests of the refusals of the analytics, dashboard and chart routes: every bad
// query parameter is a 400 naming it, every unknown simulation a 404.
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/http/analytics_data.hpp"

namespace {

using traffic::tests::analytics_suite;
using traffic::tests::body_of;
using traffic::tests::expect_detail;
using traffic::tests::expect_error;
using traffic::tests::find_detail;
using traffic::tests::json;

/// One refused request: the answer must have this status and code and, for a 400, a detail
/// whose path is `path` and whose message contains `message`.
struct refusal {
  const char* name; ///< the test's name
  std::string target;
  unsigned status;
  const char* path;         ///< the parameter the 400 names; unused for a 404
  const char* message = ""; ///< a part of that detail's message ("" checks none)

  friend std::ostream& operator<<(std::ostream& out, const refusal& r) { return out << r.target; }
};

const std::string summary = "/api/v1/analytics/simulation/";
const std::string waits = "/api/v1/analytics/wait-times?";
const std::string speeds = "/api/v1/analytics/speeds?";
const std::string environment = "/api/v1/analytics/environmental-impact?";
const std::string comparison = "/api/v1/analytics/comparison/baseline-vs-ai?";
const std::string emergencies = "/api/v1/analytics/emergency-report?";
const std::string series = "/api/v1/analytics/time-series/";
const std::string dashboard = "/api/v1/dashboard/performance-comparison?";
const std::string trend = "/api/v1/charts/wait-time-trend?";
const std::string scatter = "/api/v1/charts/performance-scatter?";
const std::string simulations = "/api/v1/simulations?";

const std::string long_id(129, 'a');
const std::string later = "2025-09-10T08:00:00Z";
const std::string earlier = "2025-09-10T07:55:00Z";

/// Returns "simulation_id=S0,S1,...,S<n-1>".
std::string many_ids(int n) {
  std::string text = "simulation_id=";
  for (int i = 0; i < n; ++i)
    text += (i ? ",S" : "S") + std::to_string(i);
  return text;
}

const std::vector<refusal> refusals = {
    // summary: the id in the path, and no query parameters at all
    {"SummaryIdWithSpace", summary + "bad%20id/summary", 400, "simulation_id"},
    {"SummaryIdTooLong", summary + long_id + "/summary", 400, "simulation_id"},
    {"SummaryAnyParameter", summary + "RUSH_BASE/summary?from=" + earlier, 400, "from",
     "this endpoint accepts no query parameters"},
    {"SummaryUnknownRun", summary + "NO_SUCH_SIM/summary", 404, ""},
    // wait-times
    {"WaitsGroupByColour", waits + "group_by=colour", 400, "group_by",
     "direction, intersection, simulation or hour"},
    {"WaitsGroupByNone", waits + "group_by=none", 400, "group_by"},
    {"WaitsGroupByUpperCase", waits + "group_by=HOUR", 400, "group_by"},
    {"WaitsGroupByEmpty", waits + "group_by=", 400, "group_by", "is empty"},
    {"WaitsGroupByTwice", waits + "group_by=hour&group_by=hour", 400, "group_by", "more than once"},
    {"WaitsSimulationIdWithSpace", waits + "simulation_id=bad%20id", 400, "simulation_id"},
    {"WaitsSimulationIdTooLong", waits + "simulation_id=" + long_id, 400, "simulation_id"},
    {"WaitsSimulationIdBrokenEscape", waits + "simulation_id=RUSH%G1", 400, "simulation_id",
     "percent escape"},
    {"WaitsIntersectionIdWithSlash", waits + "intersection_id=INT%2FA", 400, "intersection_id"},
    {"WaitsDirectionUp", waits + "direction=up", 400, "direction", "compass direction"},
    {"WaitsFromNotATime", waits + "from=yesterday", 400, "from", "RFC 3339"},
    {"WaitsToWithoutZone", waits + "to=2025-09-10T07:55:00", 400, "to"},
    {"WaitsFromAfterTo", waits + "from=" + later + "&to=" + earlier, 400, "from",
     "from is after to"},
    {"WaitsUnknownParameter", waits + "colour=red", 400, "colour",
     "unknown parameter; this endpoint accepts simulation_id, intersection_id, direction, from, "
     "to, group_by"},
    {"WaitsLimit", waits + "limit=5", 400, "limit", "unknown parameter"},
    {"WaitsUnknownRun", waits + "simulation_id=NO_SUCH_SIM", 404, ""},
    // speeds
    {"SpeedsGroupByDirection", speeds + "group_by=direction", 400, "group_by",
     "speeds are recorded per snapshot, not per approach"},
    {"SpeedsDirectionFilter", speeds + "direction=north", 400, "direction",
     "speeds are recorded per snapshot, not per approach"},
    {"SpeedsGroupByWeekday", speeds + "group_by=weekday", 400, "group_by"},
    {"SpeedsFromAfterTo", speeds + "from=" + later + "&to=" + earlier, 400, "from"},
    {"SpeedsUnknownRun", speeds + "simulation_id=NO_SUCH_SIM", 404, ""},
    // environmental-impact
    {"EnvironmentGroupBy", environment + "group_by=hour", 400, "group_by", "unknown parameter"},
    {"EnvironmentDirection", environment + "direction=north", 400, "direction"},
    {"EnvironmentIntersectionEmpty", environment + "intersection_id=", 400, "intersection_id"},
    {"EnvironmentToNotATime", environment + "to=08:00", 400, "to"},
    {"EnvironmentFromAfterTo", environment + "from=" + later + "&to=" + earlier, 400, "from"},
    {"EnvironmentUnknownRun", environment + "simulation_id=NO_SUCH_SIM", 404, ""},
    // comparison
    {"ComparisonNothing", comparison, 400, "baseline", "or scenario"},
    {"ComparisonBaselineOnly", comparison + "baseline=RUSH_BASE", 400, "ai"},
    {"ComparisonAiOnly", comparison + "ai=RUSH_AI", 400, "baseline"},
    {"ComparisonIdsAndScenario", comparison + "baseline=RUSH_BASE&ai=RUSH_AI&scenario=rush", 400,
     "scenario", "not both"},
    {"ComparisonSameRunTwice", comparison + "baseline=RUSH_AI&ai=RUSH_AI", 400, "ai",
     "must differ from baseline"},
    {"ComparisonBaselineIdWithSpace", comparison + "baseline=a%20b&ai=RUSH_AI", 400, "baseline"},
    {"ComparisonBlockZero", comparison + "scenario=rush&block=0s", 400, "block"},
    {"ComparisonBlockWithoutUnit", comparison + "scenario=rush&block=300", 400, "block"},
    {"ComparisonBlockOverADay", comparison + "scenario=rush&block=2d", 400, "block",
     "a duration from 1s to 1d"},
    {"ComparisonBlockNegative", comparison + "scenario=rush&block=-5m", 400, "block"},
    {"ComparisonScenarioEmpty", comparison + "scenario=", 400, "scenario"},
    {"ComparisonScenarioControl", comparison + "scenario=ru%01sh", 400, "scenario"},
    {"ComparisonScenarioTooLong", comparison + "scenario=" + std::string(257, 'r'), 400,
     "scenario"},
    {"ComparisonSimulationId", comparison + "simulation_id=RUSH_AI", 400, "simulation_id"},
    {"ComparisonUnknownBaseline", comparison + "baseline=NO_SUCH_SIM&ai=RUSH_AI", 404, ""},
    {"ComparisonUnknownAi", comparison + "baseline=RUSH_BASE&ai=NO_SUCH_SIM", 404, ""},
    // emergency-report
    {"EmergencyLimitZero", emergencies + "limit=0", 400, "limit", "from 1 to 10000"},
    {"EmergencyLimitNegative", emergencies + "limit=-1", 400, "limit"},
    {"EmergencyLimitTooLarge", emergencies + "limit=10001", 400, "limit"},
    {"EmergencyLimitFraction", emergencies + "limit=1.5", 400, "limit"},
    {"EmergencyLimitWord", emergencies + "limit=all", 400, "limit"},
    {"EmergencyLimitPlus", emergencies + "limit=%2B5", 400, "limit"},
    {"EmergencyDirection", emergencies + "direction=sideways", 400, "direction"},
    {"EmergencyGroupBy", emergencies + "group_by=simulation", 400, "group_by"},
    {"EmergencyFromAfterTo", emergencies + "from=" + later + "&to=" + earlier, 400, "from"},
    {"EmergencyUnknownRun", emergencies + "simulation_id=NO_SUCH_SIM", 404, ""},
    // time-series: the id in the path
    {"SeriesIdWithSpace", series + "bad%20id", 400, "simulation_id"},
    {"SeriesMetric", series + "RUSH_AI?metric=speed", 400, "metric", "avg_speed"},
    {"SeriesBucketZero", series + "RUSH_AI?bucket=0s", 400, "bucket"},
    {"SeriesBucketWithoutUnit", series + "RUSH_AI?bucket=60", 400, "bucket"},
    {"SeriesBucketWeeks", series + "RUSH_AI?bucket=1w", 400, "bucket"},
    {"SeriesBucketOverADay", series + "RUSH_AI?bucket=86401s", 400, "bucket"},
    {"SeriesBucketFraction", series + "RUSH_AI?bucket=1.5m", 400, "bucket"},
    {"SeriesSimulationIdParameter", series + "RUSH_AI?simulation_id=RUSH_AI", 400, "simulation_id"},
    {"SeriesDirection", series + "RUSH_AI?direction=north", 400, "direction"},
    {"SeriesFromAfterTo", series + "RUSH_AI?from=" + later + "&to=" + earlier, 400, "from"},
    {"SeriesUnknownRun", series + "NO_SUCH_SIM", 404, ""},
    {"SeriesUnknownRunWithParameters", series + "NO_SUCH_SIM?metric=avg_speed&bucket=5m", 404, ""},
    // dashboard
    {"DashboardBlockZero", dashboard + "block=0m", 400, "block"},
    {"DashboardBlockWord", dashboard + "block=hourly", 400, "block"},
    {"DashboardScenario", dashboard + "scenario=rush", 400, "scenario",
     "this endpoint accepts block"},
    // wait-time trend
    {"TrendEmptyIdBetweenCommas", trend + "simulation_id=RUSH_AI,,NIGHT_AI", 400, "simulation_id"},
    {"TrendIdWithSpace", trend + "simulation_id=RUSH_AI,bad%20id", 400, "simulation_id"},
    {"TrendTooManyRuns", trend + many_ids(21), 400, "simulation_id", "at most 20"},
    {"TrendBucketZero", trend + "bucket=0m", 400, "bucket"},
    {"TrendBucketOverADay", trend + "bucket=25h", 400, "bucket"},
    {"TrendGroupBy", trend + "group_by=hour", 400, "group_by"},
    {"TrendFromAfterTo", trend + "from=" + later + "&to=" + earlier, 400, "from"},
    {"TrendUnknownRun", trend + "simulation_id=NIGHT_AI,NO_SUCH_SIM", 404, ""},
    {"TrendUnknownRunRepeated", trend + "simulation_id=NO_SUCH_SIM&simulation_id=RUSH_AI", 404, ""},
    // performance-scatter
    {"ScatterByHour", scatter + "by=hour", 400, "by", "simulation or intersection"},
    {"ScatterByEmpty", scatter + "by=", 400, "by"},
    {"ScatterScenarioEmpty", scatter + "scenario=", 400, "scenario"},
    {"ScatterSimulationId", scatter + "simulation_id=RUSH_AI", 400, "simulation_id"},
    // simulations
    {"SimulationsModeRobot", simulations + "mode=robot", 400, "mode", "baseline or ai"},
    {"SimulationsLimitZero", simulations + "limit=0", 400, "limit"},
    {"SimulationsLimitTooLarge", simulations + "limit=10001", 400, "limit"},
    {"SimulationsBy", simulations + "by=simulation", 400, "by"},
    {"SimulationsScenarioTwice", simulations + "scenario=rush&scenario=night", 400, "scenario"},
};

class RefusedQueryHttp : public analytics_suite, public testing::WithParamInterface<refusal> {};

TEST_P(RefusedQueryHttp, AnswersTheErrorShape) {
  const auto& c = GetParam();
  const auto r = get(c.target);
  if (c.status == 404) {
    expect_error(r, 404, "not_found");
    return;
  }
  expect_error(r, 400, "bad_request");
  expect_detail(r, c.path);
  const auto detail = find_detail(r, c.path);
  if (*c.message && detail.is_object()) {
    EXPECT_NE(detail.value("message", "").find(c.message), std::string::npos)
        << "expected \"" << c.message << "\" in " << detail.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Endpoints, RefusedQueryHttp, testing::ValuesIn(refusals),
                         [](const testing::TestParamInfo<refusal>& info) {
                           return std::string{info.param.name};
                         });

} // namespace
