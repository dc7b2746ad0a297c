// The body of PUT /api/v1/simulations/{id}: what it may change, how clearing works, and each
// refusal by name.
#include "http/simulation_update_codec.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace {

using traffic::http::decode_detail;
using traffic::http::parse_simulation_update;
using traffic::metrics::run_mode;

/// The outcome of one decode.
struct decoded {
  std::optional<traffic::metrics::simulation_update> update;
  std::vector<decode_detail> errors;
  bool malformed = true;
};

decoded decode(std::string_view body, std::string_view id = "SIM_1") {
  decoded out;
  out.update = parse_simulation_update(id, body, out.errors, out.malformed);
  return out;
}

std::vector<std::string> paths_of(const decoded& d) {
  std::vector<std::string> paths;
  for (const auto& e : d.errors)
    paths.push_back(e.path);
  return paths;
}

} // namespace

TEST(SimulationUpdate, SetsModeAndScenario) {
  auto d = decode(R"({"mode":"AI","scenario":"rush hour"})");
  ASSERT_TRUE(d.update);
  EXPECT_FALSE(d.malformed);
  EXPECT_EQ(d.update->simulation_id, "SIM_1");
  EXPECT_TRUE(d.update->set_mode);
  EXPECT_EQ(d.update->mode, run_mode::ai);
  EXPECT_TRUE(d.update->set_scenario);
  EXPECT_EQ(d.update->scenario, "rush hour");
}

TEST(SimulationUpdate, LeavesAnAbsentFieldAlone) {
  auto d = decode(R"({"mode":"baseline"})");
  ASSERT_TRUE(d.update);
  EXPECT_TRUE(d.update->set_mode);
  EXPECT_EQ(d.update->mode, run_mode::baseline);
  EXPECT_FALSE(d.update->set_scenario);
  EXPECT_FALSE(d.update->scenario);
}

TEST(SimulationUpdate, ClearsWithNull) {
  auto d = decode(R"({"mode":null,"scenario":null})");
  ASSERT_TRUE(d.update);
  EXPECT_TRUE(d.update->set_mode);
  EXPECT_FALSE(d.update->mode);
  EXPECT_TRUE(d.update->set_scenario);
  EXPECT_FALSE(d.update->scenario);
}

TEST(SimulationUpdate, ReportsMalformedJson) {
  auto d = decode(R"({"mode":)");
  EXPECT_FALSE(d.update);
  EXPECT_TRUE(d.malformed);
  EXPECT_EQ(paths_of(d), (std::vector<std::string>{"$"}));
}

TEST(SimulationUpdate, ReportsANonObjectAsMalformed) {
  for (auto body : {R"(["mode"])", "\"ai\"", "null", "3"}) {
    auto d = decode(body);
    EXPECT_FALSE(d.update) << body;
    EXPECT_TRUE(d.malformed) << body;
    EXPECT_EQ(paths_of(d), (std::vector<std::string>{"$"})) << body;
  }
}

TEST(SimulationUpdate, RefusesAnEmptyChange) {
  auto d = decode("{}");
  EXPECT_FALSE(d.update);
  EXPECT_FALSE(d.malformed);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].path, "$");
  EXPECT_NE(d.errors[0].message.find("nothing to change"), std::string::npos);
}

TEST(SimulationUpdate, NamesEachBadField) {
  auto d = decode(R"({"mode":"turbo","scenario":"a\u0001b","colour":"red"})");
  EXPECT_FALSE(d.update);
  EXPECT_FALSE(d.malformed);
  // JSON objects come sorted by key.
  EXPECT_EQ(paths_of(d), (std::vector<std::string>{"colour", "mode", "scenario"}));
  EXPECT_NE(d.errors[0].message.find("unknown field"), std::string::npos);
  EXPECT_NE(d.errors[1].message.find("\"baseline\", \"ai\" or null"), std::string::npos);
  EXPECT_EQ(d.errors[2].message, "must not contain control characters");
}

TEST(SimulationUpdate, RefusesWrongTypes) {
  auto d = decode(R"({"mode":1,"scenario":true})");
  EXPECT_EQ(paths_of(d), (std::vector<std::string>{"mode", "scenario"}));
  EXPECT_NE(d.errors[1].message.find("a string or null"), std::string::npos);
}

TEST(SimulationUpdate, RefusesBadScenarioLengths) {
  auto d = decode(R"({"scenario":""})");
  EXPECT_EQ(paths_of(d), (std::vector<std::string>{"scenario"}));
  d = decode(R"({"scenario":")" + std::string(257, 'x') + "\"}");
  EXPECT_EQ(paths_of(d), (std::vector<std::string>{"scenario"}));
  EXPECT_TRUE(decode(R"({"scenario":")" + std::string(256, 'x') + "\"}").update);
}

TEST(SimulationUpdate, RefusesABadIdAlongsideBodyErrors) {
  auto d = decode(R"({"mode":"x"})", "bad id");
  EXPECT_FALSE(d.update);
  EXPECT_FALSE(d.malformed);
  EXPECT_EQ(paths_of(d), (std::vector<std::string>{"simulation_id", "mode"}));
}
