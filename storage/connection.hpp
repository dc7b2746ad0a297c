// One libpqxx connection made on demand and dropped when it breaks; private to storage/.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/connection>

#include "storage/write_status.hpp"

namespace traffic::storage {

/// A caught exception in our terms.
struct failure {
  storage_status status = storage_status::failed; ///< unavailable or failed
  bool retry = false;           ///< a deadlock or serialization failure: rerun the transaction
  bool connection_lost = false; ///< the session is gone (or its state unknown): reconnect
  std::string message;
};

/// Sorts the exception being handled: a lost connection, an in-doubt commit, a statement
/// timeout (57014), an operator intervention (57xxx), a read-only server (25006), a resource
/// shortage (53xxx) or a lock or I/O error is unavailable; a deadlock or serialization failure
/// is unavailable and retryable; bad data, constraint violations and anything else are failed.
/// Call only inside a catch block.
failure classify_current_exception() noexcept;

/// A session variable and its value, e.g. {"plan_cache_mode", "force_custom_plan"}.
using session_setting = std::pair<std::string_view, std::string_view>;

/// Owns one `pqxx::connection`. Connects on the first get(), sets statement_timeout and the
/// session settings, and registers the named statements of sql/ (libpqxx prepares each on its
/// first use). Not thread-safe.
class connection {
 public:
  /// `statements` are names of sql/*.sql files, prepared under the same name. A zero
  /// `statement_timeout` leaves the server's default (usually none). `settings` are fixed
  /// names and values from code (never request values), set on every new session.
  connection(std::string conninfo, std::chrono::milliseconds statement_timeout,
             std::vector<std::string_view> statements, std::vector<session_setting> settings = {});
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Returns the open connection, connecting first when there is none or when the server
  /// ended the held session while it was idle. Call it only while no transaction is open.
  /// Throws what libpqxx throws (pqxx::broken_connection when the server is unreachable).
  pqxx::connection& get();

  /// Returns true when a connection is held (it may still turn out broken on next use).
  bool connected() const noexcept { return conn_ != nullptr; }

  /// Drops the connection; the next get() makes a new one.
  void reset() noexcept;

  /// Classifies the exception being handled and drops the connection when it is lost or no
  /// longer open, so the next call reconnects. Call only inside a catch block, after every
  /// transaction on this connection has been destroyed.
  failure on_exception() noexcept;

 private:
  std::string conninfo_;
  std::chrono::milliseconds statement_timeout_;
  std::vector<std::string_view> statements_;
  std::vector<session_setting> settings_;
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace traffic::storage
