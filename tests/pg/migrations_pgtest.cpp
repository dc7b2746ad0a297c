// Migrator against a real PostgreSQL: idempotent, safe when two servers start at once.
#include <cctype>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "storage/migrator.hpp"
#include "storage/sql_files.hpp"
#include "tests/support/test_database.hpp"

namespace {

using traffic::storage::apply_migrations;
using traffic::tests::test_database;

/// Returns how many NNN_*.sql migrations are embedded.
int migration_count() {
  int n = 0;
  for (const auto& f : traffic::storage::sql_files())
    if (f.name.size() > 4 && f.name[3] == '_' &&
        std::isdigit(static_cast<unsigned char>(f.name[0])))
      ++n;
  return n;
}

/// Returns the single number `sql` selects.
long long scalar(const std::string& url, const std::string& sql) {
  pqxx::connection c{url};
  pqxx::nontransaction tx{c};
  return tx.exec1(sql)[0].as<long long>();
}

TEST(Migrator, AppliesEachMigrationOnce) {
  test_database db;
  const int n = migration_count();
  ASSERT_GE(n, 1);

  auto first = apply_migrations(db.url());
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_EQ(first.applied, n);
  EXPECT_EQ(first.already, 0);

  auto second = apply_migrations(db.url());
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.already, n);
  EXPECT_EQ(scalar(db.url(), "SELECT count(*) FROM schema_migrations"), n);
}

TEST(Migrator, TwoConcurrentRunsBothSucceed) {
  test_database db;
  const int n = migration_count();
  // Both threads wait for the same signal, so their first transactions really overlap.
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  auto run = [&] {
    start.wait();
    return apply_migrations(db.url());
  };
  auto a = std::async(std::launch::async, run);
  auto b = std::async(std::launch::async, run);
  go.set_value();
  auto ra = a.get();
  auto rb = b.get();

  ASSERT_TRUE(ra.ok) << ra.error;
  ASSERT_TRUE(rb.ok) << rb.error;
  EXPECT_EQ(ra.applied + rb.applied, n);
  EXPECT_EQ(ra.applied + ra.already, n);
  EXPECT_EQ(rb.applied + rb.already, n);
  EXPECT_EQ(scalar(db.url(), "SELECT count(*) FROM schema_migrations"), n);
  EXPECT_EQ(scalar(db.url(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND "
                             "tablename IN ('schema_migrations', 'simulations', "
                             "'performance_metrics', 'signal_states', 'snapshot_minutes', "
                             "'direction_totals', 'vehicle_class_totals')"),
            7);
}

TEST(Migrator, SchemaRejectsDuplicateKeysAndBadValues) {
  test_database db;
  auto r = apply_migrations(db.url());
  ASSERT_TRUE(r.ok) << r.error;

  pqxx::connection c{db.url()};
  {
    pqxx::work tx{c};
    tx.exec("INSERT INTO simulations (id, first_timestamp, last_timestamp) "
            "VALUES ('S', '2025-01-01Z', '2025-01-01Z')");
    tx.exec(
        "INSERT INTO performance_metrics (simulation_id, intersection_id, \"timestamp\", "
        "total_vehicles_passed, avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, "
        "co2_saved, emergency_overrides) VALUES ('S', 'I', '2025-01-01Z', 1, 1, 1, 1, 1, 1, 0)");
    tx.commit();
  }
  // The same key again, written with another offset for the same instant.
  EXPECT_THROW(
      {
        pqxx::work tx{c};
        tx.exec("INSERT INTO performance_metrics (simulation_id, intersection_id, \"timestamp\", "
                "total_vehicles_passed, avg_wait_time_all_sides, throughput, avg_speed, "
                "fuel_saved, co2_saved, emergency_overrides) "
                "VALUES ('S', 'I', '2025-01-01T02:00:00+02:00', 2, 2, 2, 2, 2, 2, 0)");
      },
      pqxx::unique_violation);
  EXPECT_THROW(
      {
        pqxx::work tx{c};
        tx.exec("INSERT INTO signal_states (simulation_id, intersection_id, \"timestamp\", "
                "direction, signal_status, signal_timer, vehicles_crossed, avg_wait_time, "
                "green_time_allocated, emergency_vehicle_present, vehicle_counts) "
                "VALUES ('S', 'I', '2025-01-01Z', 'north', 'BLUE', 1, 1, 1, 1, false, '{}')");
      },
      pqxx::check_violation);
  EXPECT_THROW(
      {
        pqxx::work tx{c};
        tx.exec("INSERT INTO performance_metrics (simulation_id, intersection_id, \"timestamp\", "
                "total_vehicles_passed, avg_wait_time_all_sides, throughput, avg_speed, "
                "fuel_saved, co2_saved, emergency_overrides) "
                "VALUES ('S', 'J', '2025-01-01Z', -1, 1, 1, 1, 1, 1, 0)");
      },
      pqxx::check_violation);
}

TEST(Migrator, UpgradesADeploymentOfSchema001WithRollupsOfItsRows) {
  // A database as the first release left it: schema 001 applied and recorded, rows written
  // under its constraints. Migration 002 must drop those and sum every row into the rollups.
  test_database db;
  {
    pqxx::connection c{db.url()};
    pqxx::work tx{c};
    tx.exec(std::string{traffic::storage::sql_text("migrate_create_schema_migrations")});
    tx.exec(std::string{traffic::storage::sql_text("001_initial_schema")});
    tx.exec("INSERT INTO schema_migrations (version, name) VALUES (1, '001_initial_schema')");
    tx.exec("INSERT INTO simulations (id, mode, first_timestamp, last_timestamp, snapshot_count) "
            "VALUES ('S1', 'ai', '2025-01-01T10:00:00Z', '2025-01-01T10:01:30Z', 3), "
            "('S2', NULL, '2025-01-01T10:00:00Z', '2025-01-01T10:00:00Z', 1)");
    // S1/I1: two snapshots in minute 10:00, one in 10:01; S2/I1: one in 10:00.
    tx.exec("INSERT INTO performance_metrics (simulation_id, intersection_id, \"timestamp\", "
            "total_vehicles_passed, avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, "
            "co2_saved, emergency_overrides) VALUES "
            "('S1', 'I1', '2025-01-01T10:00:00Z', 10, 20.0, 0.5, 30.0, 1.0, 2.0, 0), "
            "('S1', 'I1', '2025-01-01T10:00:30Z', 14, 24.0, 0.7, 28.0, -1.0, 1.0, 1), "
            "('S1', 'I1', '2025-01-01T10:01:30Z', 9, 10.0, 0.2, 40.0, 0.5, 0.5, 0), "
            "('S2', 'I1', '2025-01-01T10:00:00Z', 5, 50.0, 0.1, 10.0, 0.0, 0.0, 2)");
    tx.exec("INSERT INTO signal_states (simulation_id, intersection_id, \"timestamp\", "
            "direction, signal_status, signal_timer, vehicles_crossed, avg_wait_time, "
            "green_time_allocated, emergency_vehicle_present, vehicle_counts) VALUES "
            "('S1', 'I1', '2025-01-01T10:00:00Z', 'north', 'GREEN', 1, 3, 10.0, 20, false, "
            "'{\"car\": 4, \"bus\": 1}'), "
            "('S1', 'I1', '2025-01-01T10:00:00Z', 'east', 'RED', 1, 1, 30.0, 10, false, "
            "'{\"car\": 2}'), "
            "('S1', 'I1', '2025-01-01T10:00:30Z', 'north', 'RED', 1, 2, 14.0, 20, false, "
            "'{\"car\": 6}'), "
            "('S2', 'I1', '2025-01-01T10:00:00Z', 'north', 'GREEN', 1, 7, 50.0, 30, true, "
            "'{\"truck\": 3}')");
    tx.commit();
  }

  auto r = apply_migrations(db.url());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.already, 1);
  EXPECT_EQ(r.applied, migration_count() - 1);

  pqxx::connection c{db.url()};
  pqxx::nontransaction tx{c};
  auto text = [&](const std::string& sql) {
    return tx.exec1(sql)[0].as<std::string>();
  };
  EXPECT_EQ(text("SELECT string_agg(format('%s %s %s %s %s %s %s %s', simulation_id, "
                 "to_char(minute AT TIME ZONE 'UTC', 'HH24:MI'), snapshots, wait_sum, wait_min, "
                 "wait_max, vehicles_sum, overrides_sum), '; ' ORDER BY simulation_id, minute) "
                 "FROM snapshot_minutes"),
            "S1 10:00 2 44 20 24 24 1; S1 10:01 1 10 10 10 9 0; S2 10:00 1 50 50 50 5 2");
  EXPECT_EQ(text("SELECT string_agg(format('%s %s %s %s %s %s %s', simulation_id, direction, "
                 "samples, wait_sum, vehicles_crossed, green_time_allocated, green_samples), "
                 "'; ' ORDER BY simulation_id, direction) FROM direction_totals"),
            "S1 east 1 30 1 10 0; S1 north 2 24 5 40 1; S2 north 1 50 7 30 1");
  EXPECT_EQ(text("SELECT string_agg(simulation_id || ' ' || vehicle_class || ' ' || vehicles, "
                 "'; ' ORDER BY simulation_id, vehicle_class) FROM vehicle_class_totals"),
            "S1 bus 1; S1 car 12; S2 truck 3");
  // The constraints 002 dropped are gone: an approach row needs no snapshot row any more.
  EXPECT_EQ(text("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN "
                 "('signal_states'::regclass, 'performance_metrics'::regclass)"),
            "0");
}

TEST(Migrator, ReportsUnreachableServerAsUnavailable) {
  auto r = apply_migrations(test_database::unreachable_url());
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.unavailable);
  EXPECT_FALSE(r.error.empty());
}

} // namespace
