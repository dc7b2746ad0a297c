// The input rules: one failing case per rule with its exact path, and the passing edge cases.
#include "metrics/validation.hpp"

#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace traffic::metrics;
using kind = raw_value::kind;

raw_value text(std::string s) {
  return raw_value::of_string(std::move(s));
}
raw_value integer(std::int64_t i) {
  return raw_value::of_int(i);
}
raw_value real(double d) {
  return raw_value::of_real(d);
}
raw_value of(kind k) {
  return raw_value::of_kind(k);
}

/// Returns one approach of the DESIGN.md sample snapshot, facing `direction`.
signal_draft sample_signal(std::string direction) {
  signal_draft s;
  s.direction = text(std::move(direction));
  s.vehicle_counts_shape = of(kind::object);
  s.vehicle_counts = {{"car", integer(78)},
                      {"bus", integer(0)},
                      {"truck", integer(0)},
                      {"bike", integer(0)},
                      {"rickshaw", integer(0)}};
  s.emergency_vehicle_present = raw_value::of_bool(false);
  s.signal_status = text("GREEN");
  s.signal_timer = integer(18);
  s.vehicles_crossed = integer(35);
  s.avg_wait_time = real(12.5);
  s.green_time_allocated = integer(20);
  return s;
}

/// Returns the DESIGN.md sample snapshot with four approaches: a valid draft to break one field.
snapshot_draft sample_draft() {
  snapshot_draft d;
  d.simulation_id = text("SIM_20250910_001");
  d.timestamp = text("2025-09-10T23:20:00Z");
  d.intersection_id = text("INT_001");
  d.signals_shape = of(kind::array);
  for (const char* direction : {"north", "east", "south", "west"})
    d.signals.push_back(sample_signal(direction));
  d.metrics_shape = of(kind::object);
  d.metrics.total_vehicles_passed = integer(104);
  d.metrics.avg_wait_time_all_sides = real(20.6);
  d.metrics.throughput = real(0.87);
  d.metrics.avg_speed = real(28.3);
  d.metrics.fuel_saved = real(1.2);
  d.metrics.co2_saved = real(3.8);
  d.metrics.emergency_overrides = integer(0);
  return d;
}

struct outcome {
  std::optional<snapshot> result;
  std::vector<violation> violations;
};

outcome validate(const snapshot_draft& d, std::string_view prefix = "") {
  outcome o;
  o.result = validate_snapshot(d, prefix, o.violations);
  return o;
}

/// Returns the violations one per line, for failure messages.
std::string describe(const std::vector<violation>& violations) {
  std::string text;
  for (const auto& v : violations)
    text += v.path + ": " + v.message + "\n";
  return text;
}

/// Validates `d`, expecting success, and returns the snapshot (a default one on failure).
snapshot accepted(const snapshot_draft& d) {
  auto o = validate(d);
  EXPECT_TRUE(o.violations.empty()) << describe(o.violations);
  EXPECT_TRUE(o.result.has_value());
  return o.result.value_or(snapshot{});
}

/// Validates `d`, expecting failure, and returns the paths of the violations.
std::vector<std::string> rejected_paths(const snapshot_draft& d, std::string_view prefix = "") {
  auto o = validate(d, prefix);
  EXPECT_FALSE(o.result.has_value());
  std::vector<std::string> paths;
  for (const auto& v : o.violations)
    paths.push_back(v.path);
  return paths;
}

using paths = std::vector<std::string>;

std::string repeat(char c, std::size_t n) {
  return std::string(n, c);
}

// One rule broken at a time: the mutation, then the single violation it must give.

struct rule_case {
  std::string name;
  std::function<void(snapshot_draft&)> mutate;
  std::string path;
  std::string message;
};

std::ostream& operator<<(std::ostream& os, const rule_case& c) {
  return os << c.name;
}

class BrokenRule : public testing::TestWithParam<rule_case> {};

TEST_P(BrokenRule, GivesOneViolationAtItsPath) {
  auto d = sample_draft();
  GetParam().mutate(d);
  auto o = validate(d);
  EXPECT_FALSE(o.result.has_value());
  ASSERT_EQ(o.violations.size(), 1u) << describe(o.violations);
  EXPECT_EQ(o.violations[0].path, GetParam().path);
  EXPECT_EQ(o.violations[0].message, GetParam().message);
}

const std::string id_message =
    "must be 1 to 128 characters of letters, digits, '_', '-', '.' and ':'";
const std::string timestamp_message =
    "must be an RFC 3339 date-time with a zone, e.g. 2025-09-10T23:20:00Z";

const rule_case broken_rules[] = {
    {"DocumentNotObject", [](auto& d) { d.shape = of(kind::array); }, "$", "must be a JSON object"},
    {"SimulationIdMissing", [](auto& d) { d.simulation_id = {}; }, "simulation_id", "is required"},
    {"SimulationIdNotString", [](auto& d) { d.simulation_id = integer(1); }, "simulation_id",
     "must be a string, got an integer"},
    {"SimulationIdEmpty", [](auto& d) { d.simulation_id = text(""); }, "simulation_id", id_message},
    {"SimulationIdWithSpace", [](auto& d) { d.simulation_id = text("SIM 1"); }, "simulation_id",
     id_message},
    {"SimulationIdWithSlash", [](auto& d) { d.simulation_id = text("SIM/1"); }, "simulation_id",
     id_message},
    {"IntersectionIdMissing", [](auto& d) { d.intersection_id = {}; }, "intersection_id",
     "is required"},
    {"IntersectionIdNull", [](auto& d) { d.intersection_id = of(kind::null); }, "intersection_id",
     "must be a string, got null"},
    {"IntersectionId129Chars", [](auto& d) { d.intersection_id = text(repeat('i', 129)); },
     "intersection_id", id_message},
    {"TimestampMissing", [](auto& d) { d.timestamp = {}; }, "timestamp", "is required"},
    {"TimestampNumber", [](auto& d) { d.timestamp = integer(1757546400); }, "timestamp",
     "must be a string, got an integer"},
    {"TimestampWithoutZone", [](auto& d) { d.timestamp = text("2025-09-10T23:20:00"); },
     "timestamp", timestamp_message},
    {"TimestampFeb30", [](auto& d) { d.timestamp = text("2025-02-30T00:00:00Z"); }, "timestamp",
     timestamp_message},
    {"ModeUnknown", [](auto& d) { d.mode = text("fixed"); }, "mode",
     "must be \"baseline\" or \"ai\""},
    {"ModeNotString", [](auto& d) { d.mode = raw_value::of_bool(true); }, "mode",
     "must be a string, got a boolean"},
    {"ScenarioEmpty", [](auto& d) { d.scenario = text(""); }, "scenario",
     "must be 1 to 256 characters"},
    {"Scenario257Chars", [](auto& d) { d.scenario = text(repeat('s', 257)); }, "scenario",
     "must be 1 to 256 characters"},
    {"ScenarioNewline", [](auto& d) { d.scenario = text("rush\nhour"); }, "scenario",
     "must not contain control characters"},
    {"ScenarioNotString", [](auto& d) { d.scenario = integer(7); }, "scenario",
     "must be a string, got an integer"},
    {"SignalsMissing",
     [](auto& d) {
       d.signals_shape = {};
       d.signals.clear();
     },
     "signals", "is required"},
    {"SignalsNotArray",
     [](auto& d) {
       d.signals_shape = of(kind::object);
       d.signals.clear();
     },
     "signals", "must be an array, got an object"},
    {"SignalsEmpty", [](auto& d) { d.signals.clear(); }, "signals",
     "must hold 1 to 16 signals, got 0"},
    {"SignalNotObject", [](auto& d) { d.signals[1].shape = text("north"); }, "signals[1]",
     "must be an object, got a string"},
    {"DirectionMissing", [](auto& d) { d.signals[0].direction = {}; }, "signals[0].direction",
     "is required"},
    {"DirectionNotString", [](auto& d) { d.signals[0].direction = integer(0); },
     "signals[0].direction", "must be a string, got an integer"},
    {"DirectionUnknown", [](auto& d) { d.signals[3].direction = text("north-east"); },
     "signals[3].direction",
     "must be a compass direction: north, north_east, east, south_east, south, south_west, west or "
     "north_west"},
    {"DirectionRepeated", [](auto& d) { d.signals[2].direction = text("NORTH"); },
     "signals[2].direction", "repeats the direction of signals[0]"},
    {"DirectionRepeatedInOtherSpelling",
     [](auto& d) {
       d.signals[1].direction = text("north_east");
       d.signals[3].direction = text("NorthEast");
     },
     "signals[3].direction", "repeats the direction of signals[1]"},
    {"VehicleCountsMissing",
     [](auto& d) {
       d.signals[0].vehicle_counts_shape = {};
       d.signals[0].vehicle_counts.clear();
     },
     "signals[0].vehicle_counts", "is required"},
    {"VehicleCountsNotObject",
     [](auto& d) {
       d.signals[0].vehicle_counts_shape = of(kind::array);
       d.signals[0].vehicle_counts.clear();
     },
     "signals[0].vehicle_counts", "must be an object, got an array"},
    {"VehicleCounts33Classes",
     [](auto& d) {
       auto& counts = d.signals[0].vehicle_counts;
       counts.clear();
       for (int i = 0; i < 33; ++i)
         counts.emplace_back("class" + std::to_string(i), integer(i));
     },
     "signals[0].vehicle_counts", "must hold at most 32 vehicle classes"},
    {"VehicleClassWithSpace",
     [](auto& d) { d.signals[0].vehicle_counts.emplace_back("big truck", integer(1)); },
     "signals[0].vehicle_counts[\"big truck\"]",
     "vehicle class must be 1 to 64 characters of letters, digits, '_' and '-'"},
    {"VehicleClassEmpty", [](auto& d) { d.signals[0].vehicle_counts.emplace_back("", integer(1)); },
     "signals[0].vehicle_counts[\"\"]",
     "vehicle class must be 1 to 64 characters of letters, digits, '_' and '-'"},
    {"VehicleClass65Chars",
     [](auto& d) { d.signals[0].vehicle_counts.emplace_back(repeat('v', 65), integer(1)); },
     "signals[0].vehicle_counts[\"" + repeat('v', 65) + "\"]",
     "vehicle class must be 1 to 64 characters of letters, digits, '_' and '-'"},
    {"VehicleClassRepeated",
     [](auto& d) { d.signals[0].vehicle_counts.emplace_back("car", integer(1)); },
     "signals[0].vehicle_counts.car", "repeats a vehicle class already given"},
    {"VehicleCountNegative", [](auto& d) { d.signals[0].vehicle_counts[0].second = integer(-1); },
     "signals[0].vehicle_counts.car", "must be a non-negative integer"},
    {"VehicleCountFractional", [](auto& d) { d.signals[1].vehicle_counts[1].second = real(1.5); },
     "signals[1].vehicle_counts.bus", "must be an integer"},
    {"VehicleCountString", [](auto& d) { d.signals[0].vehicle_counts[4].second = text("3"); },
     "signals[0].vehicle_counts.rickshaw", "must be a number, got a string"},
    {"EmergencyMissing", [](auto& d) { d.signals[0].emergency_vehicle_present = {}; },
     "signals[0].emergency_vehicle_present", "is required"},
    {"EmergencyNotBoolean", [](auto& d) { d.signals[0].emergency_vehicle_present = integer(0); },
     "signals[0].emergency_vehicle_present", "must be a boolean, got an integer"},
    {"SignalStatusMissing", [](auto& d) { d.signals[0].signal_status = {}; },
     "signals[0].signal_status", "is required"},
    {"SignalStatusAmber", [](auto& d) { d.signals[0].signal_status = text("AMBER"); },
     "signals[0].signal_status", "must be GREEN, YELLOW or RED"},
    {"SignalStatusNotString", [](auto& d) { d.signals[0].signal_status = integer(1); },
     "signals[0].signal_status", "must be a string, got an integer"},
    {"SignalTimerNegative", [](auto& d) { d.signals[0].signal_timer = integer(-1); },
     "signals[0].signal_timer", "must be a non-negative integer"},
    {"SignalTimerMissing", [](auto& d) { d.signals[1].signal_timer = {}; },
     "signals[1].signal_timer", "is required"},
    {"VehiclesCrossedFractional", [](auto& d) { d.signals[0].vehicles_crossed = real(5.5); },
     "signals[0].vehicles_crossed", "must be an integer"},
    {"VehiclesCrossedBeyondInt64", [](auto& d) { d.signals[0].vehicles_crossed = real(1e19); },
     "signals[0].vehicles_crossed", "must be an integer"},
    {"GreenTimeNull", [](auto& d) { d.signals[0].green_time_allocated = of(kind::null); },
     "signals[0].green_time_allocated", "must be a number, got null"},
    {"GreenTimeString", [](auto& d) { d.signals[0].green_time_allocated = text("20"); },
     "signals[0].green_time_allocated", "must be a number, got a string"},
    {"AvgWaitNegative", [](auto& d) { d.signals[2].avg_wait_time = real(-0.5); },
     "signals[2].avg_wait_time", "must be a non-negative number"},
    {"AvgWaitInfinite",
     [](auto& d) { d.signals[2].avg_wait_time = real(std::numeric_limits<double>::infinity()); },
     "signals[2].avg_wait_time", "must be a finite number"},
    {"AvgWaitNaN", [](auto& d) { d.signals[2].avg_wait_time = real(std::nan("")); },
     "signals[2].avg_wait_time", "must be a finite number"},
    {"AvgWaitMissing", [](auto& d) { d.signals[2].avg_wait_time = {}; }, "signals[2].avg_wait_time",
     "is required"},
    {"MetricsMissing", [](auto& d) { d.metrics_shape = {}; }, "metrics", "is required"},
    {"MetricsNotObject", [](auto& d) { d.metrics_shape = of(kind::array); }, "metrics",
     "must be an object, got an array"},
    {"TotalVehiclesPassedNegative",
     [](auto& d) { d.metrics.total_vehicles_passed = integer(-104); },
     "metrics.total_vehicles_passed", "must be a non-negative integer"},
    {"EmergencyOverridesFractional", [](auto& d) { d.metrics.emergency_overrides = real(0.5); },
     "metrics.emergency_overrides", "must be an integer"},
    {"AvgWaitAllSidesNegative", [](auto& d) { d.metrics.avg_wait_time_all_sides = real(-1); },
     "metrics.avg_wait_time_all_sides", "must be a non-negative number"},
    {"ThroughputNegative", [](auto& d) { d.metrics.throughput = integer(-1); },
     "metrics.throughput", "must be a non-negative number"},
    {"AvgSpeedString", [](auto& d) { d.metrics.avg_speed = text("fast"); }, "metrics.avg_speed",
     "must be a number, got a string"},
    {"FuelSavedInfinite",
     [](auto& d) { d.metrics.fuel_saved = real(-std::numeric_limits<double>::infinity()); },
     "metrics.fuel_saved", "must be a finite number"},
    {"Co2SavedMissing", [](auto& d) { d.metrics.co2_saved = {}; }, "metrics.co2_saved",
     "is required"},
};

INSTANTIATE_TEST_SUITE_P(Validation, BrokenRule, testing::ValuesIn(broken_rules),
                         [](const testing::TestParamInfo<rule_case>& info) {
                           return info.param.name;
                         });

// Passing edges and whole-draft behaviour.

TEST(Validation, AcceptsDesignSample) {
  const auto s = accepted(sample_draft());
  EXPECT_EQ(s.simulation_id, "SIM_20250910_001");
  EXPECT_EQ(s.intersection_id, "INT_001");
  EXPECT_EQ(s.timestamp, 1'757'546'400'000'000);
  EXPECT_EQ(s.mode, std::nullopt);
  EXPECT_EQ(s.scenario, std::nullopt);
  ASSERT_EQ(s.signals.size(), 4u);
  EXPECT_EQ(s.signals[0].approach, direction::north);
  EXPECT_EQ(s.signals[3].approach, direction::west);
  EXPECT_EQ(s.signals[0].status, signal_status::green);
  EXPECT_EQ(s.signals[0].signal_timer, 18);
  EXPECT_EQ(s.signals[0].vehicles_crossed, 35);
  EXPECT_EQ(s.signals[0].green_time_allocated, 20);
  EXPECT_DOUBLE_EQ(s.signals[0].avg_wait_time, 12.5);
  EXPECT_FALSE(s.signals[0].emergency_vehicle_present);
  ASSERT_EQ(s.signals[0].vehicle_counts.size(), 5u);
  EXPECT_EQ(s.signals[0].vehicle_counts[0], (vehicle_count{"car", 78}));
  EXPECT_EQ(s.metrics.total_vehicles_passed, 104);
  EXPECT_DOUBLE_EQ(s.metrics.avg_wait_time_all_sides, 20.6);
  EXPECT_DOUBLE_EQ(s.metrics.throughput, 0.87);
  EXPECT_DOUBLE_EQ(s.metrics.avg_speed, 28.3);
  EXPECT_DOUBLE_EQ(s.metrics.fuel_saved, 1.2);
  EXPECT_DOUBLE_EQ(s.metrics.co2_saved, 3.8);
  EXPECT_EQ(s.metrics.emergency_overrides, 0);
}

TEST(Validation, AcceptsIdOf128Chars) {
  auto d = sample_draft();
  d.simulation_id = text(repeat('s', 128));
  d.intersection_id = text(repeat('i', 128));
  EXPECT_EQ(accepted(d).simulation_id, repeat('s', 128));
}

TEST(Validation, RejectsIdLongerThan128Chars) {
  auto d = sample_draft();
  d.simulation_id = text(repeat('s', 129));
  EXPECT_EQ(rejected_paths(d), paths{"simulation_id"});
}

TEST(Validation, AcceptsIdWithEveryAllowedCharacter) {
  auto d = sample_draft();
  d.simulation_id = text("Sim_2025-09.10:A9z");
  d.intersection_id = text("x");
  EXPECT_EQ(accepted(d).intersection_id, "x");
}

TEST(Validation, IsValidIdChecksLengthAndCharacters) {
  EXPECT_TRUE(is_valid_id("a"));
  EXPECT_TRUE(is_valid_id(repeat('a', 128)));
  EXPECT_FALSE(is_valid_id(""));
  EXPECT_FALSE(is_valid_id(repeat('a', 129)));
  EXPECT_FALSE(is_valid_id("caf\xc3\xa9"));
  EXPECT_FALSE(is_valid_id("a,b"));
}

TEST(Validation, StoresOffsetTimestampAsUtc) {
  auto d = sample_draft();
  d.timestamp = text("2025-09-11T01:20:00+02:00");
  EXPECT_EQ(accepted(d).timestamp, 1'757'546'400'000'000);
}

TEST(Validation, AcceptsMissingOrNullMode) {
  auto d = sample_draft();
  d.mode = of(kind::null);
  EXPECT_EQ(accepted(d).mode, std::nullopt);
}

TEST(Validation, ParsesModeInAnyCase) {
  auto d = sample_draft();
  d.mode = text("AI");
  EXPECT_EQ(accepted(d).mode, run_mode::ai);
  d.mode = text("Baseline");
  EXPECT_EQ(accepted(d).mode, run_mode::baseline);
}

TEST(Validation, AcceptsNullScenarioAsAbsent) {
  auto d = sample_draft();
  d.scenario = of(kind::null);
  EXPECT_EQ(accepted(d).scenario, std::nullopt);
}

TEST(Validation, AcceptsScenarioOf256Chars) {
  auto d = sample_draft();
  d.scenario = text(repeat('s', 256));
  EXPECT_EQ(accepted(d).scenario, repeat('s', 256));
}

TEST(Validation, CountsScenarioLengthInCharactersNotBytes) {
  auto d = sample_draft();
  std::string accented;
  for (int i = 0; i < 256; ++i)
    accented += "\xc3\xa9"; // U+00E9, two bytes
  d.scenario = text(accented);
  EXPECT_EQ(accepted(d).scenario, accented);
}

TEST(Validation, RejectsScenarioWithC1Control) {
  auto d = sample_draft();
  d.scenario = text("rush\xc2\x85hour"); // U+0085 NEXT LINE
  EXPECT_EQ(rejected_paths(d), paths{"scenario"});
}

TEST(Validation, AcceptsOneSignal) {
  auto d = sample_draft();
  d.signals.resize(1);
  EXPECT_EQ(accepted(d).signals.size(), 1u);
}

TEST(Validation, RejectsZeroSignals) {
  auto d = sample_draft();
  d.signals.clear();
  EXPECT_EQ(rejected_paths(d), paths{"signals"});
}

TEST(Validation, AcceptsAllEightDirections) {
  auto d = sample_draft();
  d.signals.clear();
  for (const char* name :
       {"north", "northeast", "east", "south_east", "SOUTH", "SouthWest", "west", "north_west"})
    d.signals.push_back(sample_signal(name));
  const auto s = accepted(d);
  ASSERT_EQ(s.signals.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i)
    EXPECT_EQ(s.signals[i].approach, static_cast<direction>(i));
}

// Sixteen signals cannot all face distinct directions (there are eight), so only the count rule
// is checked here: it stays silent at 16 and speaks at 17.
TEST(Validation, AllowsSixteenSignalsByCount) {
  auto d = sample_draft();
  d.signals.clear();
  for (int i = 0; i < 16; ++i)
    d.signals.push_back(sample_signal(std::string(to_string(static_cast<direction>(i % 8)))));
  const auto found = rejected_paths(d);
  EXPECT_EQ(found.size(), 8u); // the eight repeated directions
  for (const auto& path : found)
    EXPECT_NE(path, "signals");
}

TEST(Validation, RejectsSeventeenSignals) {
  auto d = sample_draft();
  d.signals.clear();
  for (int i = 0; i < 17; ++i)
    d.signals.push_back(sample_signal(std::string(to_string(static_cast<direction>(i % 8)))));
  auto o = validate(d);
  EXPECT_FALSE(o.result.has_value());
  ASSERT_FALSE(o.violations.empty());
  EXPECT_EQ(o.violations[0], (violation{"signals", "must hold 1 to 16 signals, got 17"}));
}

// Found by the hostile corpus (tests/hostile/20_nesting_and_size.jsonl): each signal was checked
// even past the limit, its direction against every earlier one, so 300,000 signals took minutes
// and gave a detail each. Too many is one violation, found at once.
TEST(Validation, RefusesTooManySignalsWithOneViolationOnly) {
  auto d = sample_draft();
  d.signals.assign(100000, signal_draft{});
  for (auto& s : d.signals)
    s.direction = text("north");
  auto o = validate(d, "[7]");
  EXPECT_FALSE(o.result.has_value());
  ASSERT_EQ(o.violations.size(), 1u) << describe(o.violations);
  EXPECT_EQ(o.violations[0], (violation{"[7].signals", "must hold 1 to 16 signals, got 100000"}));
}

TEST(Validation, AcceptsNortheastAsNorthEast) {
  auto d = sample_draft();
  d.signals[1].direction = text("northeast");
  EXPECT_EQ(accepted(d).signals[1].approach, direction::north_east);
}

TEST(Validation, StoresLowerCaseGreenAsGreen) {
  auto d = sample_draft();
  d.signals[0].signal_status = text("green");
  d.signals[1].signal_status = text("Yellow");
  d.signals[2].signal_status = text("red");
  const auto s = accepted(d);
  EXPECT_EQ(s.signals[0].status, signal_status::green);
  EXPECT_EQ(s.signals[1].status, signal_status::yellow);
  EXPECT_EQ(s.signals[2].status, signal_status::red);
  EXPECT_EQ(to_string(s.signals[0].status), "GREEN");
}

TEST(Validation, AcceptsIntegralRealAsInteger) {
  auto d = sample_draft();
  d.signals[0].signal_timer = real(5.0);
  d.signals[0].vehicle_counts[0].second = real(78.0);
  d.metrics.total_vehicles_passed = real(0.0);
  const auto s = accepted(d);
  EXPECT_EQ(s.signals[0].signal_timer, 5);
  EXPECT_EQ(s.signals[0].vehicle_counts[0].count, 78);
  EXPECT_EQ(s.metrics.total_vehicles_passed, 0);
}

TEST(Validation, AcceptsIntegerWhereNumberExpected) {
  auto d = sample_draft();
  d.signals[0].avg_wait_time = integer(12);
  d.metrics.throughput = integer(0);
  const auto s = accepted(d);
  EXPECT_DOUBLE_EQ(s.signals[0].avg_wait_time, 12.0);
  EXPECT_DOUBLE_EQ(s.metrics.throughput, 0.0);
}

TEST(Validation, AcceptsZeroCountsAndWaits) {
  auto d = sample_draft();
  d.signals[0].signal_timer = integer(0);
  d.signals[0].avg_wait_time = real(0.0);
  d.metrics.avg_speed = real(0.0);
  accepted(d);
}

TEST(Validation, AcceptsNegativeFuelAndCo2Saved) {
  auto d = sample_draft();
  d.metrics.fuel_saved = real(-1.5);
  d.metrics.co2_saved = integer(-4);
  const auto s = accepted(d);
  EXPECT_DOUBLE_EQ(s.metrics.fuel_saved, -1.5);
  EXPECT_DOUBLE_EQ(s.metrics.co2_saved, -4.0);
}

TEST(Validation, KeepsUnknownVehicleClassInOrder) {
  auto d = sample_draft();
  d.signals[0].vehicle_counts.insert(d.signals[0].vehicle_counts.begin() + 1,
                                     {"auto-rickshaw_2", integer(3)});
  const auto s = accepted(d);
  const auto& counts = s.signals[0].vehicle_counts;
  ASSERT_EQ(counts.size(), 6u);
  EXPECT_EQ(counts[0].vehicle_class, "car");
  EXPECT_EQ(counts[1], (vehicle_count{"auto-rickshaw_2", 3}));
  EXPECT_EQ(counts[5].vehicle_class, "rickshaw");
}

TEST(Validation, AcceptsEmptyVehicleCounts) {
  auto d = sample_draft();
  d.signals[0].vehicle_counts.clear();
  EXPECT_TRUE(accepted(d).signals[0].vehicle_counts.empty());
}

TEST(Validation, AcceptsThirtyTwoVehicleClassesOf64Chars) {
  auto d = sample_draft();
  auto& counts = d.signals[0].vehicle_counts;
  counts.clear();
  for (int i = 0; i < 32; ++i)
    counts.emplace_back(repeat(static_cast<char>('a' + i % 26), 62) + std::to_string(10 + i),
                        integer(i));
  EXPECT_EQ(accepted(d).signals[0].vehicle_counts.size(), 32u);
}

TEST(Validation, ReportsEveryViolationAtOnce) {
  auto d = sample_draft();
  d.timestamp = text("yesterday");
  d.signals[2].avg_wait_time = real(-1);
  d.metrics.throughput = of(kind::null);
  EXPECT_EQ(rejected_paths(d),
            (paths{"timestamp", "signals[2].avg_wait_time", "metrics.throughput"}));
}

TEST(Validation, ReportsEveryBrokenFieldOfOneSignal) {
  auto d = sample_draft();
  d.signals[1].direction = text("up");
  d.signals[1].emergency_vehicle_present = {};
  d.signals[1].green_time_allocated = integer(-3);
  EXPECT_EQ(rejected_paths(d),
            (paths{"signals[1].direction", "signals[1].emergency_vehicle_present",
                   "signals[1].green_time_allocated"}));
}

TEST(Validation, PrefixesPathsWithBatchIndex) {
  auto d = sample_draft();
  d.timestamp = {};
  d.signals[2].avg_wait_time = text("long");
  d.metrics.throughput = real(-0.1);
  EXPECT_EQ(rejected_paths(d, "[3]"),
            (paths{"[3].timestamp", "[3].signals[2].avg_wait_time", "[3].metrics.throughput"}));
}

TEST(Validation, NamesNonObjectBatchItemByIndex) {
  auto d = sample_draft();
  d.shape = of(kind::string);
  auto o = validate(d, "[3]");
  EXPECT_FALSE(o.result.has_value());
  EXPECT_EQ(o.violations, (std::vector<violation>{{"[3]", "must be a JSON object"}}));
}

TEST(Validation, AcceptsDraftAfterEarlierViolationsInSameList) {
  std::vector<violation> out{{"[0].timestamp", "is required"}};
  const auto s = validate_snapshot(sample_draft(), "[1]", out);
  EXPECT_TRUE(s.has_value());
  EXPECT_EQ(out.size(), 1u);
}

// Found by the hostile corpus: past 32 vehicle classes each entry was still checked, its name
// against every earlier one, so 200,000 classes took minutes and gave a detail each.
TEST(Validation, RefusesTooManyVehicleClassesWithOneViolationOnly) {
  auto d = sample_draft();
  auto& counts = d.signals[0].vehicle_counts;
  counts.clear();
  for (int i = 0; i < 200000; ++i)
    counts.emplace_back("bad class " + std::to_string(i), integer(-1));
  auto o = validate(d);
  EXPECT_FALSE(o.result.has_value());
  ASSERT_EQ(o.violations.size(), 1u) << describe(o.violations).substr(0, 500);
  EXPECT_EQ(o.violations[0],
            (violation{"signals[0].vehicle_counts", "must hold at most 32 vehicle classes"}));
}

} // namespace
