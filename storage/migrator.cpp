// Applies sql/NNN_*.sql migrations in version order, each in its own locked transaction.
#include "storage/migrator.hpp"

#include <chrono>
#include <set>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "storage/connection.hpp"
#include "storage/sql_files.hpp"

namespace traffic::storage {

namespace {

struct migration {
  int version = 0;
  std::string_view name; ///< file name without ".sql", e.g. "001_initial_schema"
  std::string_view text;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// Returns the embedded files named NNN_description (three digits, then '_'), in file order,
/// which is version order since the digits have a fixed width.
std::vector<migration> find_migrations() {
  std::vector<migration> out;
  for (const auto& file : sql_files()) {
    const auto& n = file.name;
    if (n.size() > 4 && is_digit(n[0]) && is_digit(n[1]) && is_digit(n[2]) && n[3] == '_') {
      int version = (n[0] - '0') * 100 + (n[1] - '0') * 10 + (n[2] - '0');
      out.push_back({version, file.name, file.text});
    }
  }
  return out;
}

/// Opens a transaction that holds the migration lock and sees schema_migrations, and returns
/// the versions already recorded. The lock comes first: CREATE TABLE IF NOT EXISTS is not safe
/// against a concurrent identical CREATE (both may pass the check), the lock serialises them.
std::set<int> lock_and_read_versions(pqxx::work& tx) {
  tx.exec_prepared("migrate_lock");
  tx.exec_prepared("migrate_create_schema_migrations");
  std::set<int> versions;
  for (const auto& row : tx.exec_prepared("migrate_applied_versions"))
    versions.insert(row[0].as<int>());
  return versions;
}

} // namespace

migration_report apply_migrations(const std::string& conninfo) {
  migration_report report;
  // No statement timeout: a migration may legitimately rewrite a large table.
  // schema_migrations may not exist yet, so the statements that name it can't be prepared at
  // connect time; libpqxx prepares each on its first use, after the CREATE.
  connection conn{conninfo,
                  std::chrono::milliseconds{0},
                  {"migrate_lock", "migrate_create_schema_migrations", "migrate_applied_versions",
                   "migrate_record_version"}};
  const auto migrations = find_migrations();
  try {
    if (migrations.empty()) {
      pqxx::work tx{conn.get()};
      lock_and_read_versions(tx);
      tx.commit();
    }
    // One transaction per migration: a failure leaves every earlier one applied and recorded.
    for (const auto& m : migrations) {
      pqxx::work tx{conn.get()};
      const auto applied = lock_and_read_versions(tx);
      if (applied.count(m.version) != 0) {
        ++report.already;
        continue; // the transaction aborts on destruction; it changed nothing
      }
      tx.exec(std::string{m.text});
      tx.exec_prepared("migrate_record_version", m.version, std::string{m.name});
      tx.commit();
      ++report.applied;
    }
    report.ok = true;
  } catch (...) {
    auto f = conn.on_exception();
    report.ok = false;
    report.unavailable = f.status == storage_status::unavailable;
    report.error = std::move(f.message);
  }
  return report;
}

} // namespace traffic::storage
