// Snapshot writer against a real PostgreSQL: exact rows, idempotence, outages and recovery.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "metrics/snapshot.hpp"
#include "metrics/timestamp.hpp"
#include "storage/connection_string.hpp"
#include "storage/migrator.hpp"
#include "storage/snapshot_writer.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::metrics::direction;
using traffic::metrics::run_mode;
using traffic::metrics::signal_state;
using traffic::metrics::signal_status;
using traffic::metrics::snapshot;
using traffic::metrics::timestamp_us;
using traffic::storage::snapshot_writer;
using traffic::storage::storage_status;
using traffic::tests::test_database;

/// 2025-09-10T23:20:00Z in microseconds.
constexpr timestamp_us t0 = 1'757'546'400'000'000;

/// Returns a snapshot whose figures all derive from `v`, with two approaches.
snapshot make_snapshot(const std::string& sim, const std::string& intersection, timestamp_us ts,
                       int v = 1) {
  snapshot s;
  s.simulation_id = sim;
  s.intersection_id = intersection;
  s.timestamp = ts;
  signal_state north;
  north.approach = direction::north;
  north.vehicle_counts = {{"car", 78 + v}, {"bus", v}, {"rickshaw", 2}};
  north.status = signal_status::green;
  north.signal_timer = 18;
  north.vehicles_crossed = 35 + v;
  north.avg_wait_time = 12.5 + v;
  north.green_time_allocated = 20;
  signal_state south_west;
  south_west.approach = direction::south_west;
  south_west.vehicle_counts = {{"truck", 3}};
  south_west.emergency_vehicle_present = true;
  south_west.status = signal_status::red;
  south_west.signal_timer = 7;
  south_west.vehicles_crossed = 0;
  south_west.avg_wait_time = 0.1 + 0.2; // 0.30000000000000004: needs all 17 digits
  south_west.green_time_allocated = 25;
  s.signals = {north, south_west};
  s.metrics.total_vehicles_passed = 100 + v;
  s.metrics.avg_wait_time_all_sides = 20.6 + v;
  s.metrics.throughput = 0.87;
  s.metrics.avg_speed = 28.3;
  s.metrics.fuel_saved = -1.0 / 3.0;
  s.metrics.co2_saved = 3.8;
  s.metrics.emergency_overrides = v % 2;
  return s;
}

std::vector<const snapshot*> pointers(const std::vector<snapshot>& v) {
  std::vector<const snapshot*> out;
  for (const auto& s : v)
    out.push_back(&s);
  return out;
}

class SnapshotWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = traffic::storage::apply_migrations(db_.url());
    ASSERT_TRUE(r.ok) << r.error;
  }

  /// Returns the single value `sql` selects, as text ("" for NULL).
  std::string scalar(const std::string& sql) {
    pqxx::connection c{db_.url()};
    pqxx::nontransaction tx{c};
    auto f = tx.exec1(sql)[0];
    return f.is_null() ? std::string{} : f.as<std::string>();
  }

  long long count(const std::string& table) {
    return std::stoll(scalar("SELECT count(*) FROM " + table));
  }

  /// Returns every stored row of both tables as text, for before/after comparisons.
  std::string table_dump() {
    return scalar("SELECT (SELECT string_agg(p::text, E'\\n' ORDER BY p::text) "
                  "FROM performance_metrics p) || (SELECT string_agg(s::text, E'\\n' "
                  "ORDER BY s::text) FROM signal_states s) || (SELECT string_agg(m::text, "
                  "E'\\n' ORDER BY m::text) FROM simulations m)");
  }

  /// Returns how many rollup rows differ from the same aggregates recomputed from the stored
  /// rows (a row missing on either side counts).
  long long rollup_mismatches() {
    return std::stoll(scalar(
        "SELECT (SELECT count(*) FROM snapshot_minutes m FULL JOIN ("
        "  SELECT simulation_id, intersection_id, date_bin('1 minute', \"timestamp\", "
        "         timestamptz '2000-01-01Z') AS minute, count(*) AS n, "
        "         sum(avg_wait_time_all_sides) AS w, sum(fuel_saved) AS f, min(avg_speed) AS s, "
        "         max(total_vehicles_passed) AS v "
        "  FROM performance_metrics GROUP BY 1, 2, 3) p "
        "  USING (simulation_id, intersection_id, minute) "
        "  WHERE m.snapshots IS DISTINCT FROM p.n OR abs(m.wait_sum - p.w) > 1e-9 "
        "     OR abs(m.fuel_sum - p.f) > 1e-9 OR m.speed_min IS DISTINCT FROM p.s "
        "     OR m.vehicles_max IS DISTINCT FROM p.v OR p.n IS NULL OR m.snapshots IS NULL) "
        "+ (SELECT count(*) FROM direction_totals d FULL JOIN ("
        "  SELECT simulation_id, direction, count(*) AS n, sum(vehicles_crossed) AS c "
        "  FROM signal_states GROUP BY 1, 2) a USING (simulation_id, direction) "
        "  WHERE d.samples IS DISTINCT FROM a.n OR d.vehicles_crossed IS DISTINCT FROM a.c) "
        "+ (SELECT count(*) FROM simulations s FULL JOIN ("
        "  SELECT simulation_id AS id, count(*) AS n FROM performance_metrics GROUP BY 1) p "
        "  USING (id) WHERE s.snapshot_count IS DISTINCT FROM p.n)"));
  }

  test_database db_;
  snapshot_writer writer_{traffic::storage::connection_string(db_.url(), 2s), 5000ms};
};

TEST_F(SnapshotWriter, StoresEveryRowOfABatch) {
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0, 1),
                              make_snapshot("SIM_1", "INT_2", t0, 2),
                              make_snapshot("SIM_2", "INT_1", t0 + 250'000, 3)};
  batch[0].mode = run_mode::ai;
  batch[0].scenario = "rush hour – Zürich"; // non-ASCII text survives COPY
  batch[2].signals.pop_back();

  auto r = writer_.write(pointers(batch));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(count("performance_metrics"), 3);
  EXPECT_EQ(count("signal_states"), 5); // 2 + 2 + 1 approaches
  EXPECT_EQ(count("simulations"), 2);

  pqxx::connection c{db_.url()};
  pqxx::nontransaction tx{c};
  auto pm = tx.exec_params1(
      "SELECT mode, total_vehicles_passed, avg_wait_time_all_sides, throughput, avg_speed, "
      "fuel_saved, co2_saved, emergency_overrides, "
      "(extract(epoch FROM \"timestamp\") * 1000000)::bigint "
      "FROM performance_metrics WHERE simulation_id = $1 AND intersection_id = $2",
      "SIM_1", "INT_1");
  EXPECT_EQ(pm[0].as<std::string>(), "ai");
  EXPECT_EQ(pm[1].as<std::int64_t>(), 101);
  EXPECT_EQ(pm[2].as<double>(), 20.6 + 1); // exact: doubles round-trip bit for bit
  EXPECT_EQ(pm[3].as<double>(), 0.87);
  EXPECT_EQ(pm[4].as<double>(), 28.3);
  EXPECT_EQ(pm[5].as<double>(), -1.0 / 3.0);
  EXPECT_EQ(pm[6].as<double>(), 3.8);
  EXPECT_EQ(pm[7].as<std::int64_t>(), 1);
  EXPECT_EQ(pm[8].as<std::int64_t>(), t0);

  auto sig = tx.exec_params1(
      "SELECT signal_status, signal_timer, vehicles_crossed, avg_wait_time, green_time_allocated, "
      "emergency_vehicle_present, vehicle_counts = $3::jsonb, vehicle_counts::text "
      "FROM signal_states WHERE simulation_id = $1 AND intersection_id = $2 AND direction = "
      "'south_west'",
      "SIM_1", "INT_2", R"({"truck": 3})");
  EXPECT_EQ(sig[0].as<std::string>(), "RED");
  EXPECT_EQ(sig[1].as<std::int64_t>(), 7);
  EXPECT_EQ(sig[2].as<std::int64_t>(), 0);
  EXPECT_EQ(sig[3].as<double>(), 0.1 + 0.2);
  EXPECT_EQ(sig[4].as<std::int64_t>(), 25);
  EXPECT_TRUE(sig[5].as<bool>());
  EXPECT_TRUE(sig[6].as<bool>()) << sig[7].as<std::string>();

  auto north = tx.exec_params1(
      "SELECT vehicle_counts = $2::jsonb, vehicle_counts::text, signal_status, avg_wait_time "
      "FROM signal_states WHERE simulation_id = 'SIM_1' AND intersection_id = $1 "
      "AND direction = 'north'",
      "INT_2", R"({"car": 80, "bus": 2, "rickshaw": 2})");
  EXPECT_TRUE(north[0].as<bool>()) << north[1].as<std::string>();
  EXPECT_EQ(north[2].as<std::string>(), "GREEN");
  EXPECT_EQ(north[3].as<double>(), 14.5);

  auto sim = tx.exec1("SELECT mode, scenario, snapshot_count, "
                      "(extract(epoch FROM first_timestamp) * 1000000)::bigint, "
                      "(extract(epoch FROM last_timestamp) * 1000000)::bigint, "
                      "first_seen <= last_seen FROM simulations WHERE id = 'SIM_1'");
  EXPECT_EQ(sim[0].as<std::string>(), "ai");
  EXPECT_EQ(sim[1].as<std::string>(), "rush hour – Zürich");
  EXPECT_EQ(sim[2].as<std::int64_t>(), 2);
  EXPECT_EQ(sim[3].as<std::int64_t>(), t0);
  EXPECT_EQ(sim[4].as<std::int64_t>(), t0);
  EXPECT_TRUE(sim[5].as<bool>());
  auto sim2 = tx.exec1("SELECT mode IS NULL, scenario IS NULL, snapshot_count "
                       "FROM simulations WHERE id = 'SIM_2'");
  EXPECT_TRUE(sim2[0].as<bool>());
  EXPECT_TRUE(sim2[1].as<bool>());
  EXPECT_EQ(sim2[2].as<std::int64_t>(), 1);
}

TEST_F(SnapshotWriter, StoresTimestampsWithOffsetsAsUtc) {
  auto ts = traffic::metrics::parse_rfc3339("2025-09-10T23:20:00.25+02:00");
  ASSERT_TRUE(ts.has_value());
  std::vector<snapshot> batch{make_snapshot("SIM_TZ", "INT_1", *ts)};
  auto r = writer_.write(pointers(batch));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(scalar("SELECT to_char(\"timestamp\" AT TIME ZONE 'UTC', "
                   "'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM performance_metrics"),
            "2025-09-10T21:20:00.250000");
  EXPECT_EQ(scalar("SELECT count(*) FROM signal_states WHERE \"timestamp\" = "
                   "'2025-09-10T21:20:00.25Z'"),
            "2");
}

TEST_F(SnapshotWriter, FlagsResentSnapshotsAsDuplicates) {
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0, 1),
                              make_snapshot("SIM_1", "INT_1", t0 + 1'000'000, 2),
                              make_snapshot("SIM_1", "INT_2", t0, 3)};
  auto first = writer_.write(pointers(batch));
  ASSERT_EQ(first.status, storage_status::ok) << first.error;
  EXPECT_EQ(first.stored, (std::vector<bool>{true, true, true}));
  const auto before = table_dump();

  // A resend may carry other figures; the stored snapshot wins, nothing changes.
  batch[1].metrics.avg_speed = 99;
  auto again = writer_.write(pointers(batch));
  ASSERT_EQ(again.status, storage_status::ok) << again.error;
  EXPECT_EQ(again.stored, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(table_dump(), before);
  EXPECT_EQ(count("performance_metrics"), 3);
  EXPECT_EQ(count("signal_states"), 6);
  EXPECT_EQ(scalar("SELECT snapshot_count FROM simulations"), "3");
}

TEST_F(SnapshotWriter, StoresOneCopyOfAKeyRepeatedInABatch) {
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0, 1),
                              make_snapshot("SIM_1", "INT_1", t0, 2),
                              make_snapshot("SIM_1", "INT_1", t0 + 1, 3)};
  auto r = writer_.write(pointers(batch));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(count("performance_metrics"), 2);
  EXPECT_EQ(count("signal_states"), 4);
  // The first copy is the one stored.
  EXPECT_EQ(scalar("SELECT total_vehicles_passed FROM performance_metrics "
                   "WHERE \"timestamp\" = '2025-09-10T23:20:00Z'"),
            "101");
  EXPECT_EQ(scalar("SELECT snapshot_count FROM simulations"), "2");
}

TEST_F(SnapshotWriter, MergesRunTotalsAcrossBatches) {
  std::vector<snapshot> first{make_snapshot("SIM_1", "INT_1", t0 + 10'000'000)};
  first[0].mode = run_mode::baseline;
  ASSERT_EQ(writer_.write(pointers(first)).status, storage_status::ok);
  const auto seen = scalar("SELECT first_seen FROM simulations");

  // No mode this time (the old one stays), a scenario (it is added), an earlier and a later
  // snapshot (they widen the range) and a resend (not counted).
  std::vector<snapshot> second{make_snapshot("SIM_1", "INT_1", t0),
                               make_snapshot("SIM_1", "INT_1", t0 + 10'000'000),
                               make_snapshot("SIM_1", "INT_2", t0 + 20'000'000)};
  second[0].scenario = "s1";
  auto r = writer_.write(pointers(second));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, (std::vector<bool>{true, false, true}));

  pqxx::connection c{db_.url()};
  pqxx::nontransaction tx{c};
  auto sim = tx.exec1("SELECT mode, scenario, snapshot_count, "
                      "(extract(epoch FROM first_timestamp) * 1000000)::bigint, "
                      "(extract(epoch FROM last_timestamp) * 1000000)::bigint, "
                      "first_seen::text, last_seen >= first_seen FROM simulations");
  EXPECT_EQ(sim[0].as<std::string>(), "baseline");
  EXPECT_EQ(sim[1].as<std::string>(), "s1");
  EXPECT_EQ(sim[2].as<std::int64_t>(), 3);
  EXPECT_EQ(sim[3].as<std::int64_t>(), t0);
  EXPECT_EQ(sim[4].as<std::int64_t>(), t0 + 20'000'000);
  EXPECT_EQ(sim[5].as<std::string>(), seen);
  EXPECT_TRUE(sim[6].as<bool>());
}

TEST_F(SnapshotWriter, KeepsRollupsEqualToTheRowsTheyCover) {
  // t0 is 23:20:00; t0 + 59 s is in the same minute, t0 + 60 s starts the next one.
  std::vector<snapshot> first{make_snapshot("SIM_1", "INT_1", t0, 1),
                              make_snapshot("SIM_1", "INT_1", t0 + 59'000'000, 2),
                              make_snapshot("SIM_1", "INT_1", t0 + 60'000'000, 3)};
  ASSERT_EQ(writer_.write(pointers(first)).status, storage_status::ok);
  // A resend with other figures adds nothing; a new snapshot in an existing minute merges.
  std::vector<snapshot> second{make_snapshot("SIM_1", "INT_1", t0, 7),
                               make_snapshot("SIM_1", "INT_1", t0 + 30'000'000, 4)};
  auto r = writer_.write(pointers(second));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, (std::vector<bool>{false, true}));

  // Minute 23:20 holds v = 1, 2, 4: waits 21.6, 22.6, 24.6; vehicles 101, 102, 104;
  // overrides 1, 0, 0. Minute 23:21 holds v = 3.
  EXPECT_EQ(scalar("SELECT string_agg(format('%s %s %s %s %s %s %s %s %s', "
                   "to_char(minute AT TIME ZONE 'UTC', 'HH24:MI:SS'), snapshots, "
                   "round(wait_sum::numeric, 6), wait_min, wait_max, vehicles_sum, vehicles_min, "
                   "vehicles_max, overrides_sum), '; ' ORDER BY minute) FROM snapshot_minutes"),
            "23:20:00 3 68.800000 21.6 24.6 307 101 104 1; 23:21:00 1 23.600000 23.6 23.6 103 "
            "103 103 1");
  // North: waits 13.5, 14.5, 15.5, 16.5 (v = 1..4), crossed 36..39 (150), all GREEN; south-west:
  // four samples of 0.3, RED.
  EXPECT_EQ(scalar("SELECT string_agg(format('%s %s %s %s %s %s', direction, samples, "
                   "round(wait_sum::numeric, 6), vehicles_crossed, green_time_allocated, "
                   "green_samples), '; ' ORDER BY direction) FROM direction_totals"),
            "north 4 60.000000 150 80 4; south_west 4 1.200000 0 100 0");
  // car 79..82, bus 1..4, rickshaw 2 x 4, truck 3 x 4.
  EXPECT_EQ(scalar("SELECT string_agg(vehicle_class || ' ' || vehicles, '; ' "
                   "ORDER BY vehicle_class) FROM vehicle_class_totals"),
            "bus 10; car 322; rickshaw 8; truck 12");

  EXPECT_EQ(rollup_mismatches(), 0);
}

TEST_F(SnapshotWriter, StoresLargeBatchesByCopyAndStillSkipsResends) {
  // 300 snapshots: enough to go by COPY. Three runs, four intersections, ticks of 7 s (so
  // minutes hold several snapshots), figures varying with i.
  auto make_batch = [](int first, int count) {
    std::vector<snapshot> out;
    for (int i = first; i < first + count; ++i)
      out.push_back(make_snapshot("SIM_" + std::to_string(i % 3), "INT_" + std::to_string(i % 4),
                                  t0 + static_cast<timestamp_us>(i) * 7'000'000, i));
    return out;
  };
  auto first = make_batch(0, 300);
  auto r1 = writer_.write(pointers(first));
  ASSERT_EQ(r1.status, storage_status::ok) << r1.error;
  EXPECT_EQ(r1.stored, std::vector<bool>(300, true));
  EXPECT_EQ(count("performance_metrics"), 300);
  EXPECT_EQ(count("signal_states"), 600);
  EXPECT_EQ(rollup_mismatches(), 0);

  // 100 of these 300 are resends: the COPY fails, and the batch is stored skipping them.
  auto second = make_batch(200, 300);
  auto r2 = writer_.write(pointers(second));
  ASSERT_EQ(r2.status, storage_status::ok) << r2.error;
  std::vector<bool> expected(300, true);
  std::fill(expected.begin(), expected.begin() + 100, false);
  EXPECT_EQ(r2.stored, expected);
  EXPECT_EQ(count("performance_metrics"), 500);
  EXPECT_EQ(count("signal_states"), 1000);
  EXPECT_EQ(scalar("SELECT sum(snapshot_count) FROM simulations"), "500");
  EXPECT_EQ(rollup_mismatches(), 0);
}

TEST_F(SnapshotWriter, KeepsAnyTextExactOnBothWritePaths) {
  // Text that COPY and array literals must escape: quotes, backslashes, tabs, line ends, commas,
  // braces, and a class literally named NULL. Three batches, one per write path: a small one
  // (one statement), a small one holding a resend (the statement that skips stored keys), and
  // a large one (COPY).
  const std::vector<std::string> names{"quote\"back\\slash", "tab\tnew\nline\r", "a,b{c}", "NULL",
                                       "e-scooter_2"};
  auto hostile = [&](timestamp_us ts) {
    auto s = make_snapshot("SIM_1", "INT_1", ts);
    s.signals[1].vehicle_counts.clear();
    for (std::size_t i = 0; i < names.size(); ++i)
      s.signals[1].vehicle_counts.push_back({names[i], static_cast<std::int64_t>(i + 1)});
    s.scenario = "say \"hi\",\t{there}\\";
    return s;
  };
  std::vector<snapshot> first{hostile(t0)};
  ASSERT_EQ(writer_.write(pointers(first)).status, storage_status::ok);
  std::vector<snapshot> second{hostile(t0), hostile(t0 + 1'000'000)};
  auto r = writer_.write(pointers(second));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, (std::vector<bool>{false, true}));
  std::vector<snapshot> large;
  for (int i = 0; i < 250; ++i)
    large.push_back(hostile(t0 + (10 + i) * 1'000'000));
  auto by_copy = writer_.write(pointers(large));
  ASSERT_EQ(by_copy.status, storage_status::ok) << by_copy.error;
  EXPECT_EQ(by_copy.stored, std::vector<bool>(250, true));

  pqxx::connection c{db_.url()};
  pqxx::nontransaction tx{c};
  for (const char* ts : {"2025-09-10T23:20:00Z", "2025-09-10T23:20:01Z", "2025-09-10T23:20:10Z",
                         "2025-09-10T23:24:19Z"}) {
    auto rows = tx.exec_params("SELECT key, value FROM signal_states, "
                               "jsonb_each_text(vehicle_counts) WHERE direction = 'south_west' "
                               "AND \"timestamp\" = $1 ORDER BY value::int",
                               ts);
    ASSERT_EQ(rows.size(), names.size()) << ts;
    for (std::size_t i = 0; i < names.size(); ++i)
      EXPECT_EQ(rows[i][0].as<std::string>(), names[i]) << ts;
  }
  // The rollups carry the same names, each class counted for all 252 stored snapshots.
  auto classes = tx.exec("SELECT vehicle_class, vehicles FROM vehicle_class_totals "
                         "WHERE vehicle_class <> 'car' AND vehicle_class <> 'bus' "
                         "AND vehicle_class <> 'rickshaw' ORDER BY vehicles");
  ASSERT_EQ(classes.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(classes[i][0].as<std::string>(), names[i]);
    EXPECT_EQ(classes[i][1].as<std::int64_t>(), 252 * static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(tx.exec1("SELECT scenario FROM simulations")[0].as<std::string>(),
            "say \"hi\",\t{there}\\");
}

TEST_F(SnapshotWriter, AcceptsAnEmptyBatch) {
  auto r = writer_.write({});
  EXPECT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_TRUE(r.stored.empty());
}

TEST_F(SnapshotWriter, ReportsRejectedDataAsFailedAndStoresNothing) {
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0),
                              make_snapshot("SIM_1", "INT_2", t0)};
  batch[1].metrics.avg_speed = -5; // the validator forbids it; the table's CHECK too
  auto r = writer_.write(pointers(batch));
  EXPECT_EQ(r.status, storage_status::failed);
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(count("performance_metrics"), 0);
  EXPECT_EQ(count("simulations"), 0);

  // The connection survives a refused batch.
  batch[1].metrics.avg_speed = 5;
  auto ok = writer_.write(pointers(batch));
  ASSERT_EQ(ok.status, storage_status::ok) << ok.error;
  EXPECT_EQ(count("performance_metrics"), 2);
}

TEST_F(SnapshotWriter, TimesOutWhenTableStaysLocked) {
  snapshot_writer impatient{db_.url(), 300ms};
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0)};
  {
    pqxx::connection locker{db_.url()};
    pqxx::work hold{locker};
    hold.exec("LOCK TABLE performance_metrics IN ACCESS EXCLUSIVE MODE");
    const auto started = std::chrono::steady_clock::now();
    auto r = impatient.write(pointers(batch));
    EXPECT_EQ(r.status, storage_status::unavailable) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  } // the lock goes with its transaction
  auto r = impatient.write(pointers(batch));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, std::vector<bool>{true});
}

TEST_F(SnapshotWriter, ReportsUnreachableDatabaseQuickly) {
  snapshot_writer nowhere{traffic::storage::connection_string(test_database::unreachable_url(), 2s),
                          1000ms};
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0)};
  const auto started = std::chrono::steady_clock::now();
  auto r = nowhere.write(pointers(batch));
  EXPECT_EQ(r.status, storage_status::unavailable);
  EXPECT_FALSE(r.error.empty());
  EXPECT_TRUE(r.stored.empty());
  std::string error;
  EXPECT_EQ(nowhere.ping(&error), storage_status::unavailable);
  EXPECT_FALSE(error.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(SnapshotWriter, ReconnectsAfterItsBackendIsTerminated) {
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0)};
  ASSERT_EQ(writer_.ping(), storage_status::ok);
  ASSERT_EQ(writer_.write(pointers(batch)).status, storage_status::ok);

  pqxx::connection admin{db_.url()};
  pqxx::nontransaction tx{admin};
  const auto pid = tx.exec1("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid()")[0]
                       .as<int>();
  ASSERT_TRUE(tx.exec_params1("SELECT pg_terminate_backend($1)", pid)[0].as<bool>());
  // Wait until the backend is gone; it sent its FATAL message to the writer before that.
  for (int i = 0; i < 500; ++i) {
    if (tx.exec_params1("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid)[0].as<int>() ==
        0)
      break;
    std::this_thread::sleep_for(10ms);
  }

  // The writer notices the dead session before using it and reconnects.
  std::vector<snapshot> next{make_snapshot("SIM_1", "INT_1", t0 + 1'000'000)};
  auto r = writer_.write(pointers(next));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, std::vector<bool>{true});
  EXPECT_EQ(writer_.ping(), storage_status::ok);
  EXPECT_EQ(count("performance_metrics"), 2);
}

TEST_F(SnapshotWriter, ReportsUnavailableWhenItsSessionDiesMidWrite) {
  // A session killed while a statement runs fails that write as unavailable (never failed), and
  // the next write reconnects.
  snapshot_writer writer{db_.url(), 5000ms};
  std::vector<snapshot> batch{make_snapshot("SIM_1", "INT_1", t0)};
  ASSERT_EQ(writer.ping(), storage_status::ok);
  {
    pqxx::connection locker{db_.url()};
    pqxx::work hold{locker};
    hold.exec("LOCK TABLE performance_metrics IN ACCESS EXCLUSIVE MODE");
    auto blocked = std::async(std::launch::async, [&] { return writer.write(pointers(batch)); });
    // Kill the writer's backend once it waits for the lock.
    pqxx::connection admin{db_.url()};
    pqxx::nontransaction tx{admin};
    bool killed = false;
    for (int i = 0; i < 500 && !killed; ++i) {
      killed = tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event_type = 'Lock'")
                   .size() == 1;
      if (!killed)
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(killed);
    auto r = blocked.get();
    EXPECT_EQ(r.status, storage_status::unavailable) << r.error;
    EXPECT_TRUE(r.stored.empty());
  }
  auto r = writer.write(pointers(batch));
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  EXPECT_EQ(r.stored, std::vector<bool>{true});
}

TEST_F(SnapshotWriter, ConcurrentWritersStoreEachKeyOnce) {
  // Two writers send overlapping batches in opposite orders: every key ends up stored exactly
  // once, and neither writer fails (lock order plus deadlock retries).
  constexpr int rounds = 20;
  constexpr int per_batch = 30;
  auto run = [this](bool reverse) {
    snapshot_writer w{db_.url(), 5000ms};
    long long stored = 0;
    for (int round = 0; round < rounds; ++round) {
      std::vector<snapshot> batch;
      for (int i = 0; i < per_batch; ++i) {
        int k = reverse ? per_batch - 1 - i : i;
        batch.push_back(make_snapshot("SIM_" + std::to_string(k % 3), "INT_" + std::to_string(k),
                                      t0 + round * 1'000'000));
      }
      auto r = w.write(pointers(batch));
      if (r.status != storage_status::ok)
        return -1LL;
      for (bool b : r.stored)
        stored += b ? 1 : 0;
    }
    return stored;
  };
  auto a = std::async(std::launch::async, run, false);
  auto b = std::async(std::launch::async, run, true);
  const auto sa = a.get();
  const auto sb = b.get();
  ASSERT_GE(sa, 0);
  ASSERT_GE(sb, 0);
  EXPECT_EQ(sa + sb, rounds * per_batch);
  EXPECT_EQ(count("performance_metrics"), rounds * per_batch);
  EXPECT_EQ(scalar("SELECT sum(snapshot_count) FROM simulations"),
            std::to_string(rounds * per_batch));
}

} // namespace
