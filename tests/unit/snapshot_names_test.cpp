// Names of the snapshot enums: canonical spellings, tolerant parsing, round trips.
#include "metrics/snapshot.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace {

using namespace traffic::metrics;

constexpr direction all_directions[] = {
    direction::north, direction::north_east, direction::east, direction::south_east,
    direction::south, direction::south_west, direction::west, direction::north_west,
};

TEST(SnapshotNames, DirectionRoundTrips) {
  for (auto d : all_directions)
    EXPECT_EQ(parse_direction(to_string(d)), d) << to_string(d);
}

TEST(SnapshotNames, DirectionCanonicalSpellingsUseUnderscores) {
  EXPECT_EQ(to_string(direction::north), "north");
  EXPECT_EQ(to_string(direction::north_east), "north_east");
  EXPECT_EQ(to_string(direction::south_east), "south_east");
  EXPECT_EQ(to_string(direction::south_west), "south_west");
  EXPECT_EQ(to_string(direction::north_west), "north_west");
  EXPECT_EQ(to_string(direction::west), "west");
}

TEST(SnapshotNames, DirectionAcceptsCompactSpelling) {
  EXPECT_EQ(parse_direction("northeast"), direction::north_east);
  EXPECT_EQ(parse_direction("southeast"), direction::south_east);
  EXPECT_EQ(parse_direction("southwest"), direction::south_west);
  EXPECT_EQ(parse_direction("northwest"), direction::north_west);
}

TEST(SnapshotNames, DirectionIgnoresCase) {
  EXPECT_EQ(parse_direction("NORTH"), direction::north);
  EXPECT_EQ(parse_direction("North_East"), direction::north_east);
  EXPECT_EQ(parse_direction("SouthWest"), direction::south_west);
}

TEST(SnapshotNames, DirectionRejectsOtherSpellings) {
  for (std::string_view text :
       {"", "north-east", "north east", "ne", "n", "northeast_", " north", "up", "north_north"})
    EXPECT_EQ(parse_direction(text), std::nullopt) << '"' << text << '"';
}

TEST(SnapshotNames, SignalStatusRoundTrips) {
  for (auto s : {signal_status::green, signal_status::yellow, signal_status::red})
    EXPECT_EQ(parse_signal_status(to_string(s)), s) << to_string(s);
}

TEST(SnapshotNames, SignalStatusPrintsUpperCase) {
  EXPECT_EQ(to_string(signal_status::green), "GREEN");
  EXPECT_EQ(to_string(signal_status::yellow), "YELLOW");
  EXPECT_EQ(to_string(signal_status::red), "RED");
}

TEST(SnapshotNames, SignalStatusIgnoresCase) {
  EXPECT_EQ(parse_signal_status("green"), signal_status::green);
  EXPECT_EQ(parse_signal_status("Yellow"), signal_status::yellow);
  EXPECT_EQ(parse_signal_status("rEd"), signal_status::red);
}

TEST(SnapshotNames, SignalStatusRejectsOtherWords) {
  for (std::string_view text : {"", "AMBER", "GREEN ", "G", "off"})
    EXPECT_EQ(parse_signal_status(text), std::nullopt) << '"' << text << '"';
}

TEST(SnapshotNames, RunModeRoundTrips) {
  for (auto m : {run_mode::baseline, run_mode::ai})
    EXPECT_EQ(parse_run_mode(to_string(m)), m) << to_string(m);
  EXPECT_EQ(to_string(run_mode::baseline), "baseline");
  EXPECT_EQ(to_string(run_mode::ai), "ai");
}

TEST(SnapshotNames, RunModeIgnoresCase) {
  EXPECT_EQ(parse_run_mode("AI"), run_mode::ai);
  EXPECT_EQ(parse_run_mode("Baseline"), run_mode::baseline);
}

TEST(SnapshotNames, RunModeRejectsOtherWords) {
  for (std::string_view text : {"", "fixed", "a", "baseline2", "ml"})
    EXPECT_EQ(parse_run_mode(text), std::nullopt) << '"' << text << '"';
}

} // namespace
