// End-to-end tests of the input rules: a broken rule is a 422 naming the field; variants pass.
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using traffic::tests::body_of;
using traffic::tests::expect_ack;
using traffic::tests::expect_error;
using traffic::tests::http_client;
using traffic::tests::json;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_snapshots;
using traffic::tests::summary_path;
using traffic::tests::test_database;

/// One variation of the simple snapshot: a name for the test, and the change.
struct rule_case {
  std::string name;
  std::function<void(json&)> change;
  std::string path = {}; ///< for a rejected snapshot: the field the 422 must name
};

std::ostream& operator<<(std::ostream& os, const rule_case& c) {
  return os << c.name;
}

std::string case_name(const testing::TestParamInfo<rule_case>& info) {
  return info.param.name;
}

/// True when `path` is `field` or lies inside it ("signals[0].vehicle_counts[\"car\"]" lies
/// inside "signals[0].vehicle_counts").
bool names_field(const std::string& path, const std::string& field) {
  return path == field || path.rfind(field + ".", 0) == 0 || path.rfind(field + "[", 0) == 0;
}

/// Returns a signal for `direction`, as simple_snapshot's.
json signal(const std::string& direction) {
  auto s = simple_snapshot("X", "X", 0)["signals"][0];
  s["direction"] = direction;
  return s;
}

/// A fresh database and server per test, and the simple snapshot to vary.
class IngestRules : public testing::TestWithParam<rule_case> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  json changed_snapshot() {
    auto snapshot = simple_snapshot("SIM_RULES", "INT_001", 0);
    GetParam().change(snapshot);
    return snapshot;
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

using RejectsSnapshot = IngestRules;
using AcceptsSnapshot = IngestRules;

TEST_P(RejectsSnapshot, NamingTheBrokenField) {
  auto snapshot = changed_snapshot();
  auto r = client_->post(single_path, snapshot.dump(), "application/json");
  expect_error(r, 422, "validation_failed");
  bool named = false;
  const auto body = body_of(r);
  for (const auto& d : body["error"]["details"])
    named = named || names_field(d.value("path", ""), GetParam().path);
  EXPECT_TRUE(named) << "no detail names " << GetParam().path << ": " << r.body;
  EXPECT_EQ(stored_snapshots(db_.url()), 0);
}

TEST_P(AcceptsSnapshot, StoringIt) {
  auto snapshot = changed_snapshot();
  expect_ack(client_->post(single_path, snapshot.dump(), "application/json"), 201, 1, 0);
  EXPECT_EQ(stored_snapshots(db_.url()), 1);
  auto summary = client_->get(summary_path(snapshot["simulation_id"].get<std::string>()));
  EXPECT_EQ(summary.status, 200u) << summary.body;
}

INSTANTIATE_TEST_SUITE_P(
    IngestApi, RejectsSnapshot,
    testing::Values(
        rule_case{"EmptySimulationId", [](json& s) { s["simulation_id"] = ""; }, "simulation_id"},
        rule_case{"LongSimulationId", [](json& s) { s["simulation_id"] = std::string(129, 'a'); },
                  "simulation_id"},
        rule_case{"SlashInIntersectionId", [](json& s) { s["intersection_id"] = "INT/1"; },
                  "intersection_id"},
        rule_case{"MissingIntersectionId", [](json& s) { s.erase("intersection_id"); },
                  "intersection_id"},
        rule_case{"TimestampWithoutZone", [](json& s) { s["timestamp"] = "2025-09-10T23:20:00"; },
                  "timestamp"},
        rule_case{"ImpossibleDate", [](json& s) { s["timestamp"] = "2025-02-30T00:00:00Z"; },
                  "timestamp"},
        rule_case{"NumericTimestamp", [](json& s) { s["timestamp"] = 1757546400; }, "timestamp"},
        rule_case{"NoSignals", [](json& s) { s["signals"] = json::array(); }, "signals"},
        rule_case{"SeventeenSignals",
                  [](json& s) {
                    s["signals"] = json::array();
                    for (int k = 0; k < 17; ++k)
                      s["signals"].push_back(signal("north"));
                  },
                  "signals"},
        rule_case{"RepeatedDirection",
                  [](json& s) {
                    // north_east and northeast are one direction.
                    s["signals"] = {signal("north_east"), signal("northeast")};
                  },
                  "signals"},
        rule_case{"UnknownDirection", [](json& s) { s["signals"][0]["direction"] = "up"; },
                  "signals[0].direction"},
        rule_case{"NegativeVehicleCount",
                  [](json& s) { s["signals"][0]["vehicle_counts"]["car"] = -1; },
                  "signals[0].vehicle_counts"},
        rule_case{"FractionalSignalTimer", [](json& s) { s["signals"][0]["signal_timer"] = 1.5; },
                  "signals[0].signal_timer"},
        rule_case{"NegativeVehiclesCrossed",
                  [](json& s) { s["signals"][0]["vehicles_crossed"] = -4; },
                  "signals[0].vehicles_crossed"},
        rule_case{"UnknownSignalStatus", [](json& s) { s["signals"][0]["signal_status"] = "BLUE"; },
                  "signals[0].signal_status"},
        rule_case{"EmergencyFlagAsText",
                  [](json& s) { s["signals"][0]["emergency_vehicle_present"] = "yes"; },
                  "signals[0].emergency_vehicle_present"},
        rule_case{"NegativeWait", [](json& s) { s["signals"][0]["avg_wait_time"] = -0.1; },
                  "signals[0].avg_wait_time"},
        rule_case{"SpeedAsText", [](json& s) { s["metrics"]["avg_speed"] = "fast"; },
                  "metrics.avg_speed"},
        rule_case{"NegativeThroughput", [](json& s) { s["metrics"]["throughput"] = -0.5; },
                  "metrics.throughput"},
        rule_case{"NegativeVehiclesPassed",
                  [](json& s) { s["metrics"]["total_vehicles_passed"] = -1; },
                  "metrics.total_vehicles_passed"},
        rule_case{"NegativeOverrides", [](json& s) { s["metrics"]["emergency_overrides"] = -1; },
                  "metrics.emergency_overrides"},
        rule_case{"MissingMetrics", [](json& s) { s.erase("metrics"); }, "metrics"},
        rule_case{"UnknownMode", [](json& s) { s["mode"] = "turbo"; }, "mode"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(IngestApi, AcceptsSnapshot,
                         testing::Values(rule_case{"CompassWordWithoutUnderscore",
                                                   [](json& s) {
                                                     s["signals"][0]["direction"] = "northeast";
                                                   }},
                                         rule_case{"EightDirections",
                                                   [](json& s) {
                                                     s["signals"] = json::array();
                                                     for (const char* d :
                                                          {"north", "north_east", "east",
                                                           "south_east", "south", "south_west",
                                                           "west", "north_west"})
                                                       s["signals"].push_back(signal(d));
                                                   }},
                                         rule_case{"SignalStatusInLowerCase",
                                                   [](json& s) {
                                                     s["signals"][0]["signal_status"] = "green";
                                                   }},
                                         rule_case{"TimestampWithOffset",
                                                   [](json& s) {
                                                     s["timestamp"] = "2025-09-11T04:50:00+05:30";
                                                   }},
                                         rule_case{"FractionalSeconds",
                                                   [](json& s) {
                                                     s["timestamp"] = "2025-09-10T23:20:00.123456Z";
                                                   }},
                                         rule_case{"UnknownVehicleClass",
                                                   [](json& s) {
                                                     s["signals"][0]["vehicle_counts"]["tram"] = 2;
                                                   }},
                                         rule_case{"NegativeSavings",
                                                   [](json& s) {
                                                     s["metrics"]["fuel_saved"] = -2.5;
                                                     s["metrics"]["co2_saved"] = -1.25;
                                                   }},
                                         rule_case{"BaselineModeWithScenario",
                                                   [](json& s) {
                                                     s["mode"] = "baseline";
                                                     s["scenario"] = "evening peak";
                                                   }},
                                         rule_case{"NullModeAndScenario",
                                                   [](json& s) {
                                                     s["mode"] = nullptr;
                                                     s["scenario"] = nullptr;
                                                   }},
                                         rule_case{"IdsWithAllowedPunctuation",
                                                   [](json& s) {
                                                     s["simulation_id"] = "SIM-1.a:b_c";
                                                     s["intersection_id"] = std::string(128, 'i');
                                                   }}),
                         case_name);

/// A fresh database and server, for the summary's corner cases.
class SummaryApi : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  json summary_of(const std::string& simulation_id) {
    auto r = client_->get(summary_path(simulation_id));
    EXPECT_EQ(r.status, 200u) << r.body;
    return body_of(r);
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

TEST_F(SummaryApi, ListsDirectionsInCompassOrder) {
  auto snapshot = simple_snapshot("SIM_COMPASS", "INT_001", 0);
  // Sent scrambled and in both spellings; crossed = 10 + compass index, so the order shows.
  const char* sent[] = {"west", "northeast", "south", "north_west",
                        "east", "southwest", "north", "south_east"};
  const char* compass[] = {"north", "north_east", "east", "south_east",
                           "south", "south_west", "west", "north_west"};
  const int index_of_sent[] = {6, 1, 4, 7, 2, 5, 0, 3};
  snapshot["signals"] = json::array();
  for (int k = 0; k < 8; ++k) {
    auto s = signal(sent[k]);
    s["vehicles_crossed"] = 10 + index_of_sent[k];
    snapshot["signals"].push_back(s);
  }
  expect_ack(client_->post(single_path, snapshot.dump(), "application/json"), 201, 1, 0);
  auto directions = summary_of("SIM_COMPASS")["directions"];
  ASSERT_EQ(directions.size(), 8u) << directions.dump();
  for (int k = 0; k < 8; ++k) {
    EXPECT_EQ(directions[k].value("direction", ""), compass[k]) << directions.dump();
    EXPECT_EQ(directions[k].value("vehicles_crossed", -1), 10 + k) << directions.dump();
    EXPECT_EQ(directions[k].value("samples", -1), 1) << directions.dump();
  }
}

TEST_F(SummaryApi, GivesNullModeAndScenarioWhenNeverSent) {
  expect_ack(client_->post(single_path, simple_snapshot("SIM_PLAIN", "INT_001", 0).dump(),
                           "application/json"),
             201, 1, 0);
  auto summary = summary_of("SIM_PLAIN");
  ASSERT_TRUE(summary.contains("mode") && summary.contains("scenario")) << summary.dump();
  EXPECT_TRUE(summary["mode"].is_null()) << summary.dump();
  EXPECT_TRUE(summary["scenario"].is_null()) << summary.dump();
}

TEST_F(SummaryApi, KeepsFractionalSecondsOfTimestamps) {
  auto first = simple_snapshot("SIM_FRACTION", "INT_001", 0);
  first["timestamp"] = "2025-09-10T23:20:00.250Z";
  auto last = simple_snapshot("SIM_FRACTION", "INT_001", 0);
  last["timestamp"] = "2025-09-11T01:20:10.75+02:00"; // 23:20:10.75Z
  for (const auto& s : {first, last})
    expect_ack(client_->post(single_path, s.dump(), "application/json"), 201, 1, 0);
  auto summary = summary_of("SIM_FRACTION");
  // Trailing zeros of the fraction are the server's choice; the instant is not.
  auto starts = [](const json& v, const std::string& prefix) {
    auto text = v.is_string() ? v.get<std::string>() : v.dump();
    auto fraction_end = text.find_last_not_of('0', text.size() - 2);
    return text.rfind(prefix, 0) == 0 && text.back() == 'Z' && fraction_end == prefix.size() - 1;
  };
  EXPECT_TRUE(starts(summary["first_timestamp"], "2025-09-10T23:20:00.25")) << summary.dump();
  EXPECT_TRUE(starts(summary["last_timestamp"], "2025-09-10T23:20:10.75")) << summary.dump();
  traffic::tests::expect_close(summary["duration_seconds"], 10.5, "duration_seconds");
}

} // namespace
