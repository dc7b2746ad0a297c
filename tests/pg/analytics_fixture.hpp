// Test base that stores tests/fixtures/analytics.ndjson in a fresh database and asks a reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "http/snapshot_codec.hpp"
#include "metrics/analytics_query.hpp"
#include "metrics/reports.hpp"
#include "metrics/timestamp.hpp"
#include "storage/analytics_reader.hpp"
#include "storage/migrator.hpp"
#include "storage/snapshot_writer.hpp"
#include "tests/support/test_database.hpp"

namespace traffic::tests {

/// 2025-09-10T07:55:00Z, tick 0 of the data set, in microseconds.
inline constexpr metrics::timestamp_us fixture_t0 = 1'757'490'900'000'000;

/// Returns the instant of tick k (ticks are 60 s apart; k may lie outside 0..9).
constexpr metrics::timestamp_us tick(std::int64_t k) {
  return fixture_t0 + k * 60'000'000;
}

/// Returns `seconds` as microseconds.
constexpr metrics::timestamp_us seconds(std::int64_t s) {
  return s * 1'000'000;
}

/// Returns the text of tests/fixtures/<name>, or "" (and a test failure) when unreadable.
inline std::string read_fixture(const std::string& name) {
  std::ifstream in{std::string{TRAFFIC_FIXTURE_DIR} + "/" + name, std::ios::binary};
  if (!in) {
    ADD_FAILURE() << "cannot read fixture " << name;
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Returns the rows of `table` in the database at `url`; only `simulation_id`'s unless it is
/// empty. Test-only SQL: the names are quoted.
inline std::int64_t stored_rows(const std::string& url, const std::string& table,
                                const std::string& simulation_id) {
  pqxx::connection conn{url};
  pqxx::nontransaction tx{conn};
  std::string sql = "SELECT count(*) FROM " + tx.quote_name(table);
  if (!simulation_id.empty())
    sql += " WHERE simulation_id = " + tx.quote(simulation_id);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

/// Returns a query of `kind` with every other field at its default.
inline metrics::analytics_query query_of(metrics::query_kind kind) {
  metrics::analytics_query q;
  q.kind = kind;
  return q;
}

/// A fresh database with the migrations applied and the data set stored (97 snapshots of
/// five runs), and a reader on it.
class AnalyticsData : public ::testing::Test {
 protected:
  void SetUp() override {
    auto migrated = storage::apply_migrations(db_.url());
    ASSERT_TRUE(migrated.ok) << migrated.error;
    // The same decoder the ingest route uses, so the file is valid NDJSON input as well.
    const auto decoded = http::decode_batch(read_fixture("analytics.ndjson"), /*ndjson=*/true);
    ASSERT_EQ(decoded.result, http::decoded_body::outcome::ok) << decoded.message;
    ASSERT_EQ(decoded.snapshots.size(), 97u);
    std::vector<const metrics::snapshot*> batch;
    for (const auto& s : decoded.snapshots)
      batch.push_back(&s);
    storage::snapshot_writer writer{db_.url(), std::chrono::milliseconds{5000}};
    const auto written = writer.write(batch);
    ASSERT_EQ(written.status, storage::storage_status::ok) << written.error;
  }

  /// Returns the answer to `query`, which must be ok and of type T (else the test fails and a
  /// default T comes back).
  template <class T>
  T ask(const metrics::analytics_query& query) {
    auto r = reader_.answer(query);
    EXPECT_EQ(r.status, storage::storage_status::ok) << r.error;
    if (!r.value || !std::holds_alternative<T>(*r.value)) {
      ADD_FAILURE() << "no answer of the expected type";
      return T{};
    }
    return std::get<T>(std::move(*r.value));
  }

  /// Returns the status of the answer to `query` (whose value is then not looked at).
  storage::storage_status status_of(const metrics::analytics_query& query) {
    return reader_.answer(query).status;
  }

  test_database db_;
  storage::analytics_reader reader_{db_.url(), std::chrono::milliseconds{5000}};
};

} // namespace traffic::tests
