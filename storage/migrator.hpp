// Applies the versioned migrations of sql/ (files named NNN_description.sql) at start-up.
#pragma once

#include <string>

namespace traffic::storage {

/// What apply_migrations did.
struct migration_report {
  bool ok = false;
  int applied = 0;          ///< migrations run now
  int already = 0;          ///< migrations found recorded in schema_migrations
  std::string error;        ///< set when !ok
  bool unavailable = false; ///< true when the failure was a connection failure (retry later)
};

/// Connects to `conninfo` and applies, in version order, every migration not yet recorded in
/// `schema_migrations`, each in its own transaction. Safe to run twice and from two servers at
/// once (a transaction-level advisory lock serialises them). Never throws.
migration_report apply_migrations(const std::string& conninfo);

} // namespace traffic::storage
