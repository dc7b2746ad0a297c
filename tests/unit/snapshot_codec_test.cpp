// Unit tests of the ingest body decoder: JSON, arrays, NDJSON, and how each refusal is reported.
#include "http/snapshot_codec.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

using traffic::http::decode_batch;
using traffic::http::decode_single;
using traffic::http::decoded_body;

namespace {

/// Returns one snapshot on one line (NDJSON needs that).
std::string snapshot_json(const std::string& intersection = "INT_001",
                          const std::string& wait = "12.5") {
  std::string text =
      R"({"simulation_id":"SIM_1","timestamp":"2025-09-10T23:20:00Z","intersection_id":")" +
      intersection + R"(","signals":[{"direction":"north","vehicle_counts":{"car":78,"bus":1},
  "emergency_vehicle_present":false,"signal_status":"green","signal_timer":18,"vehicles_crossed":35,
  "avg_wait_time":)" +
      wait + R"(,"green_time_allocated":20}],
  "metrics":{"total_vehicles_passed":104,"avg_wait_time_all_sides":20.6,"throughput":0.87,
  "avg_speed":28.3,"fuel_saved":1.2,"co2_saved":3.8,"emergency_overrides":0}})";
  text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
  return text;
}

/// Returns `json` with the value of its first member `key` replaced by the JSON text `value`
/// (for values without brackets in strings, as in snapshot_json).
std::string with_value(std::string json, const std::string& key, const std::string& value) {
  const auto start = json.find("\"" + key + "\":") + key.size() + 3;
  auto end = start;
  for (int depth = 0; end < json.size(); ++end) {
    const char c = json[end];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0)
        break;
      --depth;
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  json.replace(start, end - start, value);
  return json;
}

/// Returns `json` with the member `member` (JSON text) added first in its top-level object.
std::string with_first_member(std::string json, const std::string& member) {
  return json.insert(1, member + ",");
}

/// Expects `out` to be a refusal as malformed JSON at `path`, with a parser message.
void expect_malformed(const decoded_body& out, const std::string& path) {
  ASSERT_EQ(out.result, decoded_body::outcome::malformed) << out.message;
  EXPECT_EQ(out.message, "the body is not valid JSON");
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0].path, path);
  EXPECT_GT(out.details[0].message.size(), 10u) << out.details[0].message;
  EXPECT_FALSE(out.details[0].index);
  EXPECT_TRUE(out.snapshots.empty());
}

/// Returns `depth` arrays nested in each other.
std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

TEST(SnapshotCodec, DecodesTheSeedSnapshot) {
  auto out = decode_single(snapshot_json());
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  ASSERT_EQ(out.snapshots.size(), 1u);
  const auto& s = out.snapshots[0];
  EXPECT_EQ(s.simulation_id, "SIM_1");
  EXPECT_EQ(s.timestamp, 1757546400000000);
  ASSERT_EQ(s.signals.size(), 1u);
  EXPECT_EQ(s.signals[0].status, traffic::metrics::signal_status::green);
  ASSERT_EQ(s.signals[0].vehicle_counts.size(), 2u);
  EXPECT_EQ(s.signals[0].vehicle_counts[0].vehicle_class, "bus"); // JSON objects come sorted
  EXPECT_EQ(s.signals[0].vehicle_counts[0].count, 1);
  EXPECT_DOUBLE_EQ(s.metrics.avg_speed, 28.3);
}

TEST(SnapshotCodec, ReportsMalformedJson) {
  auto out = decode_single("{\"simulation_id\": ");
  EXPECT_EQ(out.result, decoded_body::outcome::malformed);
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0].path, "$");
}

TEST(SnapshotCodec, ReportsInvalidFieldsByPath) {
  auto out = decode_single(snapshot_json("INT 1", "-1"));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid);
  ASSERT_EQ(out.details.size(), 2u);
  EXPECT_EQ(out.details[0].path, "intersection_id");
  EXPECT_EQ(out.details[1].path, "signals[0].avg_wait_time");
  EXPECT_FALSE(out.details[0].index);
}

TEST(SnapshotCodec, DecodesAnArrayBatch) {
  auto out = decode_batch("[" + snapshot_json("A") + "," + snapshot_json("B") + "]", false);
  ASSERT_EQ(out.result, decoded_body::outcome::ok);
  ASSERT_EQ(out.snapshots.size(), 2u);
  EXPECT_EQ(out.snapshots[1].intersection_id, "B");
}

TEST(SnapshotCodec, RejectsTheWholeBatchAndListsEveryBadItem) {
  auto out = decode_batch("[" + snapshot_json("A") + "," + snapshot_json("B", "\"x\"") + "," +
                              snapshot_json("C") + "," + snapshot_json("D", "-2") + "]",
                          false);
  ASSERT_EQ(out.result, decoded_body::outcome::invalid);
  EXPECT_TRUE(out.snapshots.empty());
  ASSERT_EQ(out.details.size(), 2u);
  EXPECT_EQ(out.details[0].path, "[1].signals[0].avg_wait_time");
  EXPECT_EQ(out.details[0].index, 1u);
  EXPECT_EQ(out.details[1].path, "[3].signals[0].avg_wait_time");
  EXPECT_EQ(out.details[1].index, 3u);
}

TEST(SnapshotCodec, RejectsAnEmptyBatch) {
  EXPECT_EQ(decode_batch("[]", false).result, decoded_body::outcome::invalid);
  EXPECT_EQ(decode_batch("\n\n", true).result, decoded_body::outcome::invalid);
}

TEST(SnapshotCodec, RejectsABatchThatIsNotAnArray) {
  auto out = decode_batch(snapshot_json(), false);
  EXPECT_EQ(out.result, decoded_body::outcome::invalid);
}

TEST(SnapshotCodec, DecodesNdjsonSkippingBlankLines) {
  auto out = decode_batch(snapshot_json("A") + "\n\n" + snapshot_json("B") + "\r\n", true);
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  EXPECT_EQ(out.snapshots.size(), 2u);
}

TEST(SnapshotCodec, NamesTheBrokenNdjsonLine) {
  auto out = decode_batch(snapshot_json("A") + "\n{oops}\n", true);
  ASSERT_EQ(out.result, decoded_body::outcome::malformed);
  EXPECT_EQ(out.details[0].path, "line 2");
}

TEST(SnapshotCodec, RefusesBatchesAboveTheLimit) {
  std::string body = "[";
  for (std::size_t i = 0; i <= traffic::http::max_batch_snapshots; ++i)
    body += (i ? "," : "") + std::string{"{}"};
  body += "]";
  EXPECT_EQ(decode_batch(body, false).result, decoded_body::outcome::too_many);
}

TEST(SnapshotCodec, RefusesTrailingGarbage) {
  expect_malformed(decode_single(snapshot_json() + " x"), "$");
  expect_malformed(decode_single(snapshot_json() + "{}"), "$");
  expect_malformed(decode_batch("[" + snapshot_json() + "]]", false), "$");
  expect_malformed(decode_batch(snapshot_json() + "\n" + snapshot_json() + " 1\n", true), "line 2");
}

TEST(SnapshotCodec, RefusesATextThatEndsEarly) {
  expect_malformed(decode_single(""), "$");
  expect_malformed(decode_single(" \r\n"), "$");
  expect_malformed(decode_single(snapshot_json().substr(0, 100)), "$");
  expect_malformed(decode_batch("[" + snapshot_json(), false), "$");
}

TEST(SnapshotCodec, RefusesANulByteAfterTheDocument) {
  // nlohmann, the earlier parser, stopped reading at a NUL; now it is trailing garbage.
  expect_malformed(decode_single(snapshot_json() + std::string(1, '\0')), "$");
  expect_malformed(decode_single(snapshot_json() + std::string("\0{", 2)), "$");
}

TEST(SnapshotCodec, SkipsAByteOrderMarkOpeningTheText) {
  EXPECT_EQ(decode_single("\xEF\xBB\xBF" + snapshot_json()).result, decoded_body::outcome::ok);
  EXPECT_EQ(
      decode_batch("\xEF\xBB\xBF" + snapshot_json("A") + "\n" + snapshot_json("B"), true).result,
      decoded_body::outcome::ok);
  expect_malformed(decode_single(" \xEF\xBB\xBF" + snapshot_json()), "$");
}

TEST(SnapshotCodec, RefusesDeepNestingWithoutCrashing) {
  // The parser is iterative and stops at 1024 levels; a snapshot needs 5.
  expect_malformed(decode_single(nested_arrays(100000)), "$");
  expect_malformed(decode_batch(nested_arrays(100000), false), "$");
  expect_malformed(decode_batch(snapshot_json() + "\n" + nested_arrays(100000), true), "line 2");
  std::string objects;
  for (int i = 0; i < 100000; ++i)
    objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');
  expect_malformed(decode_single(objects), "$");
  expect_malformed(
      decode_single(with_first_member(snapshot_json(), "\"extra\":" + nested_arrays(2000))), "$");
  // Nesting that is deep but allowed only makes the document a wrong shape.
  auto out = decode_single(nested_arrays(1000));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid) << out.message;
  EXPECT_EQ(out.details[0].message, "must be a JSON object");
}

/// A number as JSON text, and how the decoder must type it (the validator's "got ..." words).
struct number_case {
  std::string text;
  std::string kind;
};

std::ostream& operator<<(std::ostream& os, const number_case& c) {
  return os << c.text;
}

using NumberKinds = testing::TestWithParam<number_case>;

TEST_P(NumberKinds, KeepIntegersApartFromReals) {
  auto out = decode_single(with_value(snapshot_json(), "timestamp", GetParam().text));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid) << out.message;
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0].path, "timestamp");
  EXPECT_EQ(out.details[0].message, "must be a string, got " + GetParam().kind);
}

INSTANTIATE_TEST_SUITE_P(
    SnapshotCodec, NumberKinds,
    testing::Values(number_case{"0", "an integer"}, number_case{"-0", "an integer"},
                    number_case{"-9223372036854775808", "an integer"},
                    number_case{"9223372036854775807", "an integer"},
                    // Integers beyond int64 read as numbers, also beyond uint64.
                    number_case{"9223372036854775808", "a number"},
                    number_case{"18446744073709551615", "a number"},
                    number_case{"18446744073709551616", "a number"},
                    number_case{"-9223372036854775809", "a number"},
                    number_case{"123456789012345678901234567890", "a number"},
                    number_case{"1.0", "a number"}, number_case{"-0.0", "a number"},
                    number_case{"1e2", "a number"}, number_case{"1E-400", "a number"}));

TEST(SnapshotCodec, ReadsHugeIntegersAsTheirNearestDouble) {
  auto out =
      decode_single(with_value(snapshot_json(), "avg_wait_time", "100000000000000000000000"));
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  EXPECT_EQ(out.snapshots[0].signals[0].avg_wait_time, 1e23);
  // A count must still be an integer in int64's range.
  out = decode_single(with_value(snapshot_json(), "signal_timer", "18446744073709551616"));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid) << out.message;
  EXPECT_EQ(out.details[0].path, "signals[0].signal_timer");
  EXPECT_EQ(out.details[0].message, "must be an integer");
  // Digits inside strings stay as they are, escaped quotes or not.
  out = decode_single(
      with_first_member(with_value(snapshot_json(), "avg_wait_time", "-100000000000000000000000"),
                        R"("scenario":"100000000000000000000000 \"200000000000000000000000\\")"));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid) << out.message;
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0].message, "must be a non-negative number");
  out = decode_single(
      with_first_member(with_value(snapshot_json(), "avg_wait_time", "100000000000000000000000"),
                        R"("scenario":"100000000000000000000000 \"200000000000000000000000\\")"));
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  EXPECT_EQ(out.snapshots[0].scenario, "100000000000000000000000 \"200000000000000000000000\\");
}

TEST(SnapshotCodec, RefusesNumbersBeyondDoubleAsMalformed) {
  // A number that would read as infinity is not valid JSON here (nlohmann refused it too), so
  // no infinity ever reaches the validator or the database.
  expect_malformed(decode_single(with_value(snapshot_json(), "avg_wait_time", "1e400")), "$");
  expect_malformed(decode_single(with_value(snapshot_json(), "fuel_saved", "-1e400")), "$");
  expect_malformed(
      decode_batch(snapshot_json() + "\n" + with_value(snapshot_json(), "avg_speed", "1.8e308"),
                   true),
      "line 2");
  // Too small for a double reads as zero.
  auto out = decode_single(with_value(snapshot_json(), "avg_wait_time", "1e-400"));
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  EXPECT_EQ(out.snapshots[0].signals[0].avg_wait_time, 0.0);
}

TEST(SnapshotCodec, ReadsIntegralRealsAsCounts) {
  auto out = decode_single(with_value(snapshot_json(), "signal_timer", "18.0"));
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  EXPECT_EQ(out.snapshots[0].signals[0].signal_timer, 18);
}

TEST(SnapshotCodec, KeepsTheLastOfARepeatedKey) {
  auto body = with_first_member(snapshot_json("B"), R"("intersection_id":"A")");
  body = with_first_member(body, R"("signals":7)");
  body = with_first_member(body, R"("metrics":{"avg_speed":-1})");
  body = with_value(body, "vehicle_counts", R"({"car":1,"bus":2,"car":3})");
  auto out = decode_single(body);
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  const auto& s = out.snapshots[0];
  EXPECT_EQ(s.intersection_id, "B");
  EXPECT_DOUBLE_EQ(s.metrics.avg_speed, 28.3);
  ASSERT_EQ(s.signals.size(), 1u);
  ASSERT_EQ(s.signals[0].vehicle_counts.size(), 2u);
  EXPECT_EQ(s.signals[0].vehicle_counts[0].vehicle_class, "bus");
  EXPECT_EQ(s.signals[0].vehicle_counts[1].vehicle_class, "car");
  EXPECT_EQ(s.signals[0].vehicle_counts[1].count, 3);
  // The last value counts even when it is the broken one.
  out = decode_single(snapshot_json().insert(snapshot_json().size() - 1, R"(,"signals":{})"));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid) << out.message;
  EXPECT_EQ(out.details[0].path, "signals");
  EXPECT_EQ(out.details[0].message, "must be an array, got an object");
}

TEST(SnapshotCodec, SortsVehicleClassesByName) {
  auto out = decode_single(
      with_value(snapshot_json(), "vehicle_counts", R"({"truck":3,"car":1,"bike":4,"bus":2})"));
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  std::string names;
  for (const auto& c : out.snapshots[0].signals[0].vehicle_counts)
    names += c.vehicle_class + " ";
  EXPECT_EQ(names, "bike bus car truck ");
}

TEST(SnapshotCodec, DecodesStringEscapes) {
  auto body = with_value(snapshot_json(), "intersection_id", R"("INT\u005f\u0030\u002e1")");
  body = with_first_member(body, R"("scenario":"caf\u00e9 \ud83d\ude00 \"rush\" a\/b")");
  body = with_first_member(body, R"("simulation\u005fid":"SIM_2")");
  auto out = decode_single(body);
  ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
  const auto& s = out.snapshots[0];
  EXPECT_EQ(s.intersection_id, "INT_0.1");
  EXPECT_EQ(s.scenario, "caf\xC3\xA9 \xF0\x9F\x98\x80 \"rush\" a/b");
  EXPECT_EQ(s.simulation_id, "SIM_1"); // the member spelt plainly comes last
  // A newline decodes, and the validator then refuses it in a scenario.
  out = decode_single(with_first_member(snapshot_json(), R"("scenario":"a\nb")"));
  ASSERT_EQ(out.result, decoded_body::outcome::invalid) << out.message;
  EXPECT_EQ(out.details[0].message, "must not contain control characters");
}

TEST(SnapshotCodec, RefusesBrokenStringsAsMalformed) {
  for (const char* scenario : {R"("\ud800")", R"("\udc00x")", R"("\x")", "\"a\tb\"", "\"\xFF\"",
                               "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\""}) {
    SCOPED_TRACE(scenario);
    expect_malformed(
        decode_single(with_first_member(snapshot_json(), std::string{"\"scenario\":"} + scenario)),
        "$");
  }
  expect_malformed(decode_single("{\"simulation_id\xFF\":1}"), "$");
}

TEST(SnapshotCodec, NamesTheNonArrayBatch) {
  auto out = decode_batch(snapshot_json(), false);
  ASSERT_EQ(out.result, decoded_body::outcome::invalid);
  EXPECT_EQ(out.message, "a batch must be a JSON array of snapshots");
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0].path, "$");
  EXPECT_EQ(out.details[0].message, "must be a JSON array");
}

TEST(SnapshotCodec, NamesTheEmptyBatch) {
  for (auto out : {decode_batch(" [ ] ", false), decode_batch("\r\n \n\t\n", true)}) {
    ASSERT_EQ(out.result, decoded_body::outcome::invalid);
    EXPECT_EQ(out.message, "the batch is empty");
    ASSERT_EQ(out.details.size(), 1u);
    EXPECT_EQ(out.details[0].path, "$");
  }
}

TEST(SnapshotCodec, NumbersNdjsonLinesCountingBlankOnes) {
  auto out =
      decode_batch("\n" + snapshot_json("A") + "\r\n\n" + snapshot_json("B", "-1") + "\n", true);
  ASSERT_EQ(out.result, decoded_body::outcome::invalid);
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0].path, "[1].signals[0].avg_wait_time"); // items count, lines do not
  EXPECT_EQ(out.details[0].index, 1u);
  out = decode_batch("\n\n" + snapshot_json("A") + "\n\n[\n", true);
  expect_malformed(out, "line 5");
}

TEST(SnapshotCodec, RefusesNdjsonBatchesAboveTheLimit) {
  std::string body;
  for (std::size_t i = 0; i <= traffic::http::max_batch_snapshots; ++i)
    body += "{}\n";
  auto out = decode_batch(body, true);
  EXPECT_EQ(out.result, decoded_body::outcome::too_many);
  EXPECT_EQ(out.message, "a batch holds at most 10000 snapshots");
  // Lines past the one over the limit are not read.
  EXPECT_EQ(decode_batch(body + "{oops}\n", true).result, decoded_body::outcome::too_many);
}

// Found by the hostile corpus: a signal draft is about half a kilobyte and every element of
// `signals` got one, so an 8 MB body of "0," items cost about 2 GB. Past the limit only the count
// is kept, and the answer still names the real count.
TEST(SnapshotCodec, CountsSignalsPastTheLimitWithoutKeepingThem) {
  std::string items;
  for (int i = 0; i < 1000000; ++i)
    items += i ? ",0" : "0";
  const auto single = decode_single(with_value(snapshot_json(), "signals", "[" + items + "]"));
  ASSERT_EQ(single.result, decoded_body::outcome::invalid) << single.message;
  ASSERT_EQ(single.details.size(), 1u);
  EXPECT_EQ(single.details[0].path, "signals");
  EXPECT_EQ(single.details[0].message, "must hold 1 to 16 signals, got 1000000");

  const auto batch = decode_batch(
      "[" + snapshot_json() + "," + with_value(snapshot_json(), "signals", "[" + items + "]") + "]",
      false);
  ASSERT_EQ(batch.result, decoded_body::outcome::invalid) << batch.message;
  ASSERT_EQ(batch.details.size(), 1u);
  EXPECT_EQ(batch.details[0].path, "[1].signals");
  EXPECT_EQ(batch.details[0].message, "must hold 1 to 16 signals, got 1000000");
  EXPECT_EQ(batch.details[0].index, std::optional<std::size_t>{1});

  // Seventeen signals, the first count over the limit, are all kept and counted alike.
  std::string seventeen;
  for (int i = 0; i < 17; ++i)
    seventeen += std::string{i ? "," : ""} + "{}";
  const auto just_over =
      decode_single(with_value(snapshot_json(), "signals", "[" + seventeen + "]"));
  ASSERT_EQ(just_over.details.size(), 1u);
  EXPECT_EQ(just_over.details[0].message, "must hold 1 to 16 signals, got 17");
}

// Found by the hostile corpus: 10,000 snapshots of 16 empty signals (620 KB) gave 1.3 million
// details, a 108 MB answer. Each snapshot lists at most 10, then one detail counts the rest.
TEST(SnapshotCodec, ListsAtMostTenViolationsPerSnapshot) {
  const std::string bad = R"({"signals":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]})";
  const auto single = decode_single(bad);
  ASSERT_EQ(single.result, decoded_body::outcome::invalid);
  ASSERT_EQ(single.details.size(), 11u);
  EXPECT_EQ(single.details[0].path, "simulation_id");
  EXPECT_EQ(single.details[10].path, "$");
  // Two ids and the timestamp, 16 x 8 signal fields, metrics: 132, of which 10 are listed.
  EXPECT_EQ(single.details[10].message, "and 122 more violations in this snapshot");

  std::string body = "[";
  for (int i = 0; i < 10000; ++i)
    body += (i ? "," : "") + bad;
  const auto batch = decode_batch(body + "]", false);
  ASSERT_EQ(batch.result, decoded_body::outcome::invalid);
  ASSERT_EQ(batch.details.size(), 110000u);
  EXPECT_EQ(batch.details[109999].path, "[9999]");
  EXPECT_EQ(batch.details[109999].index, std::optional<std::size_t>{9999});
  EXPECT_EQ(batch.details[109999].message, "and 122 more violations in this snapshot");

  // Ten violations (two ids, the timestamp, seven metrics) are listed with no count after them.
  const auto ten = decode_single(R"({"signals":[{"direction":"north","vehicle_counts":{},
    "emergency_vehicle_present":false,"signal_status":"RED","signal_timer":1,
    "vehicles_crossed":1,"avg_wait_time":1,"green_time_allocated":1}],"metrics":{}})");
  ASSERT_EQ(ten.result, decoded_body::outcome::invalid);
  EXPECT_EQ(ten.details.size(), 10u);
  EXPECT_NE(ten.details.back().path, "$");
}

TEST(SnapshotCodec, DecodesBodiesOfManyMegabytesAndSmallOnesAfter) {
  // 5000 snapshots are about 2.6 MB: more than this thread's parser keeps between bodies.
  std::string body = "[";
  for (int i = 0; i < 5000; ++i)
    body += (i ? "," : "") + snapshot_json("INT_" + std::to_string(i));
  body += "]";
  for (int round = 0; round < 2; ++round) {
    auto out = decode_batch(body, false);
    ASSERT_EQ(out.result, decoded_body::outcome::ok) << out.message;
    ASSERT_EQ(out.snapshots.size(), 5000u);
    EXPECT_EQ(out.snapshots[4999].intersection_id, "INT_4999");
    auto small = decode_single(snapshot_json("C"));
    ASSERT_EQ(small.result, decoded_body::outcome::ok) << small.message;
    EXPECT_EQ(small.snapshots[0].intersection_id, "C");
  }
}
