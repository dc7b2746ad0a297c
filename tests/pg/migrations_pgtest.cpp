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

TEST(Migrator, ReportsUnreachableServerAsUnavailable) {
  auto r = apply_migrations(test_database::unreachable_url());
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.unavailable);
  EXPECT_FALSE(r.error.empty());
}

} // namespace
