// RFC 3339 parsing and formatting: exact instants, rejected texts and round trips.
#include "metrics/timestamp.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

namespace {

using traffic::metrics::format_rfc3339;
using traffic::metrics::parse_rfc3339;
using traffic::metrics::timestamp_us;

constexpr timestamp_us second = 1'000'000;

struct parse_case {
  std::string text;
  timestamp_us expected;
};

std::ostream& operator<<(std::ostream& os, const parse_case& c) {
  return os << '"' << c.text << "\" -> " << c.expected;
}

class ParseValid : public testing::TestWithParam<parse_case> {};

TEST_P(ParseValid, GivesExactMicroseconds) {
  const auto& c = GetParam();
  EXPECT_EQ(parse_rfc3339(c.text), std::optional<timestamp_us>(c.expected));
}

// 2025-09-10 is day 20341 since 1970-01-01 (55 years, 14 leap days, 252 days into 2025).
constexpr timestamp_us sample = 1'757'546'400 * second; // 2025-09-10T23:20:00Z

const parse_case valid_cases[] = {
    {"1970-01-01T00:00:00Z", 0},
    {"1970-01-01T00:00:01Z", second},
    {"1970-01-02T00:00:00Z", 86'400 * second},
    {"1969-12-31T23:59:59.5Z", -500'000},
    {"2025-09-10T23:20:00Z", sample},
    {"2025-09-10t23:20:00z", sample},
    {"2025-09-10 23:20:00Z", sample},
    {"2025-09-10T23:20:00+00:00", sample},
    {"2025-09-10T23:20:00-00:00", sample},
    {"2025-09-10T23:20:00+02:00", sample - 2 * 3600 * second},
    {"2025-09-10T23:20:00-05:30", sample + 19'800 * second},
    {"2025-09-11T01:20:00+02:00", sample},
    {"2025-09-10T23:20:00.25Z", sample + 250'000},
    {"2025-09-10T23:20:00.1Z", sample + 100'000},
    {"2025-09-10T23:20:00.000001Z", sample + 1},
    {"2025-09-10T23:20:00.123456789Z", sample + 123'456},
    {"2025-09-10T23:20:00.999999999+02:00", sample - 2 * 3600 * second + 999'999},
    {"2024-02-29T12:00:00Z", 1'709'208'000 * second},
    {"2000-02-29T00:00:00Z", 951'782'400 * second},
    {"2100-03-01T00:00:00Z", 4'107'542'400 * second},
    {"0001-01-01T00:00:00Z", -62'135'596'800 * second},
    {"9999-12-31T23:59:59Z", 253'402'300'799 * second},
    {"2025-12-31T23:59:59-23:59", 1'767'311'939 * second},
    // The first and last instants of 0001..9999 in UTC, reached through offsets.
    {"0001-01-01T01:00:00+01:00", -62'135'596'800 * second},
    {"0001-01-01T00:00:00-14:00", -62'135'596'800 * second + 14 * 3600 * second},
    {"9999-12-31T22:59:59.999999-01:00", 253'402'300'799 * second + 999'999},
    {"9999-12-31T23:59:59+14:00", 253'402'300'799 * second - 14 * 3600 * second},
};

INSTANTIATE_TEST_SUITE_P(Timestamp, ParseValid, testing::ValuesIn(valid_cases));

class ParseInvalid : public testing::TestWithParam<std::string> {};

TEST_P(ParseInvalid, GivesNothing) {
  EXPECT_EQ(parse_rfc3339(GetParam()), std::nullopt) << GetParam();
}

// Each text breaks one rule, named beside it.
const std::string invalid_texts[] = {
    "",                                // empty
    "2025-09-10T23:20:00",             // no zone
    "2025-09-10",                      // date only
    "2025-09-10T23:20Z",               // no seconds
    "2025-09-10T23:20:00Zjunk",        // trailing junk
    "2025-09-10T23:20:00Z ",           // trailing space
    " 2025-09-10T23:20:00Z",           // leading space
    "2023-02-29T00:00:00Z",            // not a leap year
    "1900-02-29T00:00:00Z",            // century, no leap
    "2025-02-30T00:00:00Z",            // Feb 30
    "2025-04-31T00:00:00Z",            // 30-day month
    "2025-13-01T00:00:00Z",            // month 13
    "2025-00-10T00:00:00Z",            // month 0
    "2025-09-00T00:00:00Z",            // day 0
    "2025-09-10T25:00:00Z",            // hour 25
    "2025-09-10T24:00:00Z",            // hour 24
    "2025-09-10T23:60:00Z",            // minute 60
    "2025-09-10T23:59:60Z",            // leap second
    "0000-01-01T00:00:00Z",            // year 0
    "10000-01-01T00:00:00Z",           // 5-digit year
    "25-09-10T23:20:00Z",              // 2-digit year
    "2025-9-10T23:20:00Z",             // 1-digit month
    "2025-09-10T3:20:00Z",             // 1-digit hour
    "2025/09/10T23:20:00Z",            // wrong separator
    "2025-09-10X23:20:00Z",            // wrong T
    "2025-09-10T23:20:00.Z",           // empty fraction
    "2025-09-10T23:20:00.1234567890Z", // 10 fraction digits
    "2025-09-10T23:20:00+0200",        // offset without colon
    "2025-09-10T23:20:00+02",          // offset without minutes
    "2025-09-10T23:20:00+24:00",       // offset hour 24
    "2025-09-10T23:20:00+02:60",       // offset minute 60
    "2025-09-10T23:20:00UTC",          // zone name
    "+2025-09-10T23:20:00Z",           // signed year
    // Found by the hostile corpus: the offset carried these out of 0001..9999 in UTC, and
    // PostgreSQL refused year 0 (the writer's whole batch failed with a 500).
    "0001-01-01T00:00:00+00:01",        // UTC in year 0
    "0001-01-01T00:00:00+14:00",        // UTC in year 0
    "0001-01-01T00:59:59.999999+01:00", // UTC in year 0 by a microsecond
    "9999-12-31T23:59:59-00:01",        // UTC in year 10000
    "9999-12-31T23:59:59.999999-23:59", // UTC in year 10000
};

INSTANTIATE_TEST_SUITE_P(Timestamp, ParseInvalid, testing::ValuesIn(invalid_texts));

class RoundTrip : public testing::TestWithParam<std::string> {};

TEST_P(RoundTrip, FormatsWhatItParsed) {
  const auto t = parse_rfc3339(GetParam());
  ASSERT_TRUE(t.has_value()) << GetParam();
  EXPECT_EQ(format_rfc3339(*t), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Timestamp, RoundTrip,
                         testing::Values("1970-01-01T00:00:00Z", "2025-09-10T23:20:00Z",
                                         "2025-09-10T23:20:00.250000Z",
                                         "2025-09-10T23:20:00.000001Z", "2024-02-29T23:59:59Z",
                                         "1969-12-31T23:59:59.500000Z", "0001-01-01T00:00:00Z",
                                         "9999-12-31T23:59:59.999999Z"));

TEST(Timestamp, FormatsEpochWithoutFraction) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
}

TEST(Timestamp, FormatsNegativeInstantsOnThePreviousDay) {
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(Timestamp, FormatsOffsetInputAsUtc) {
  const auto t = parse_rfc3339("2025-09-10T23:20:00.5-05:30");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_rfc3339(*t), "2025-09-11T04:50:00.500000Z");
}

TEST(Timestamp, TruncatesFractionPastMicroseconds) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.0000009Z"), std::optional<timestamp_us>(0));
}

} // namespace
