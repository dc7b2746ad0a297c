// Unit tests of durations written as a count and a unit ("10s", "5m", "1h", "1d").
#include "metrics/duration_text.hpp"

#include <string_view>

#include <gtest/gtest.h>

using traffic::metrics::parse_duration_seconds;

TEST(ParseDurationSeconds, ReadsEachUnit) {
  EXPECT_EQ(parse_duration_seconds("10s"), 10);
  EXPECT_EQ(parse_duration_seconds("5m"), 300);
  EXPECT_EQ(parse_duration_seconds("1h"), 3600);
  EXPECT_EQ(parse_duration_seconds("1d"), 86400);
  EXPECT_EQ(parse_duration_seconds("90m"), 5400);
}

TEST(ParseDurationSeconds, AcceptsNineDigitsAndLeadingZeros) {
  EXPECT_EQ(parse_duration_seconds("999999999d"), 86'399'999'913'600);
  EXPECT_EQ(parse_duration_seconds("05m"), 300);
}

class ParseDurationSecondsRejects : public ::testing::TestWithParam<std::string_view> {};

TEST_P(ParseDurationSecondsRejects, Text) {
  EXPECT_FALSE(parse_duration_seconds(GetParam())) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(InvalidForms, ParseDurationSecondsRejects,
                         ::testing::Values("", "s", "10", "0s", "00m", "-1s", "+1s", "1.5m", "1 m",
                                           " 1m", "1m ", "1w", "1S", "1M", "1ms", "1mm", "m5",
                                           "1e3s", "0x1s", "1000000000s", "99999999999999999999d",
                                           std::string_view{"1\0s", 3}));
