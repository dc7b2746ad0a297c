// Connection handling shared by the writer, the reader and the migrator.
#include "storage/connection.hpp"

#include <exception>
#include <string>
#include <utility>

#include <poll.h>
#include <pqxx/pqxx>

#include "storage/sql_files.hpp"

namespace traffic::storage {

namespace {

failure make_failure(storage_status status, std::string message, bool retry = false,
                     bool lost = false) {
  failure f;
  f.status = status;
  f.retry = retry;
  f.connection_lost = lost;
  f.message = std::move(message);
  return f;
}

/// Sorts an SQL error by its SQLSTATE (the first two characters are its class).
failure classify_sql_error(const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  const std::string cls = state.substr(0, 2);
  if (state == "40001" || state == "40P01") // serialization failure, deadlock: run it again
    return make_failure(storage_status::unavailable, e.what(), true);
  if (state == "57014") // query_canceled: statement_timeout fired
    return make_failure(storage_status::unavailable, e.what());
  // Connection exceptions; operator intervention (shutdown, terminated backend, starting up);
  // a read-only server (a standby after failover: reconnect to find the new primary).
  if (cls == "08" || cls == "57" || state == "25006")
    return make_failure(storage_status::unavailable, e.what(), false, true);
  // Insufficient resources (disk full, too many connections), lock_not_available, system
  // (I/O) errors: the server may recover.
  if (cls == "53" || state == "55P03" || cls == "58")
    return make_failure(storage_status::unavailable, e.what());
  // 22 data exception, 23 integrity violation, 40002 (a deferred constraint at COMMIT), 42
  // syntax or undefined object, ...: the same work would fail the same way again.
  return make_failure(storage_status::failed, e.what());
}

/// Returns true when the server sent something to an idle session. Between our statements it
/// sends nothing unless it is ending the session (a FATAL "terminating connection" message, then
/// EOF), so input means the session is gone. Checking first matters with libpqxx 6.4: running a
/// statement on such a session throws broken_connection and leaks the error's PGresult.
bool idle_session_has_input(const pqxx::connection& c) {
  pollfd p{};
  p.fd = c.sock();
  p.events = POLLIN;
  return p.fd >= 0 && ::poll(&p, 1, 0) > 0;
}

} // namespace

failure classify_current_exception() noexcept {
  try {
    try {
      throw;
    } catch (const pqxx::broken_connection& e) {
      return make_failure(storage_status::unavailable, e.what(), false, true);
    } catch (const pqxx::in_doubt_error& e) {
      // The commit may or may not have happened; the client's retry is idempotent by key.
      return make_failure(storage_status::unavailable, e.what(), false, true);
    } catch (const pqxx::statement_completion_unknown& e) {
      return make_failure(storage_status::unavailable, e.what(), false, true);
    } catch (const pqxx::transaction_rollback& e) {
      // libpqxx 6.4 throws serialization_failure (40001) and deadlock_detected (40P01) as
      // transaction_rollback, which is not an sql_error and carries no SQLSTATE.
      return make_failure(storage_status::unavailable, e.what(), true);
    } catch (const pqxx::sql_error& e) {
      return classify_sql_error(e);
    } catch (const std::exception& e) {
      return make_failure(storage_status::failed, e.what());
    } catch (...) {
      return make_failure(storage_status::failed, "unknown exception");
    }
  } catch (...) {
    // Building the message itself failed (out of memory): report without one.
    failure f;
    return f;
  }
}

connection::connection(std::string conninfo, std::chrono::milliseconds statement_timeout,
                       std::vector<std::string_view> statements,
                       std::vector<session_setting> settings)
    : conninfo_(std::move(conninfo)), statement_timeout_(statement_timeout),
      statements_(std::move(statements)), settings_(std::move(settings)) {}

connection::~connection() = default;

pqxx::connection& connection::get() {
  // A session the server ended while we were idle is replaced before any statement is sent,
  // so a database restart costs no failed call.
  if (conn_ && (!conn_->is_open() || idle_session_has_input(*conn_)))
    reset();
  if (!conn_) {
    auto conn = std::make_unique<pqxx::connection>(conninfo_);
    // set_variable (not a raw SET) so libpqxx restores it if it ever reconnects by itself.
    if (statement_timeout_.count() > 0)
      conn->set_variable("statement_timeout", std::to_string(statement_timeout_.count()));
    for (const auto& [name, value] : settings_)
      conn->set_variable(std::string{name}, std::string{value});
    for (auto name : statements_)
      conn->prepare(std::string{name}, std::string{sql_text(name)});
    conn_ = std::move(conn);
  }
  return *conn_;
}

void connection::reset() noexcept {
  // Closing a broken connection can't fail in a way we could act on.
  conn_.reset();
}

failure connection::on_exception() noexcept {
  auto f = classify_current_exception();
  if (f.connection_lost || (conn_ && !conn_->is_open()))
    reset();
  return f;
}

} // namespace traffic::storage
