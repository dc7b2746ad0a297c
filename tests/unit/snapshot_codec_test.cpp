// Unit tests of the ingest body decoder: JSON, arrays, NDJSON, and how each refusal is reported.
#include "http/snapshot_codec.hpp"

#include <algorithm>

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
