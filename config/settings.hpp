// The server's settings, read from the environment, a .env file and command-line flags.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/api_key_list.hpp"

namespace traffic::config {

/// How log lines are written.
enum class log_format { text, json };

/// Every tunable of the server, with the defaults DESIGN.md section 5 names.
struct settings {
  std::string database_url;
  std::string http_host = "0.0.0.0";
  std::uint16_t http_port = 8000;
  int http_threads = 2;
  int caf_threads = 2;
  std::string log_level = "info";
  log_format log_style = log_format::text;
  std::string environment = "development";
  int writer_pool_size = 2;
  int writer_batch_rows = 2000;                    ///< snapshots per transaction, at most
  std::chrono::milliseconds writer_batch_delay{2}; ///< longest wait for a batch to fill
  int writer_queue_rows = 20000; ///< snapshots waiting for a writer before ingest answers 503
  int analytics_pool_size = 2;
  std::size_t body_limit_bytes = 8u << 20;
  /// A request's headers must arrive within this, counted from the connection's start or, on a
  /// kept-alive connection, from the request's first byte; else the connection is closed.
  std::chrono::milliseconds http_header_timeout{10000};
  /// A request's body must arrive within this after its headers; else the connection is closed.
  std::chrono::milliseconds http_body_timeout{30000};
  /// A kept-alive connection with no new request for this long is closed.
  std::chrono::milliseconds http_idle_timeout{30000};
  /// Open client connections at most (event streams included); a connection beyond it is
  /// answered 503 and closed. main lowers it to what the open-files limit allows.
  int http_max_connections = 10000;
  /// Bytes of request bodies in flight (being read, decoded, or waiting for the commit) at most;
  /// a request whose body does not fit is answered 503 before its body is read.
  std::size_t http_max_inflight_body_bytes = 64u << 20;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds db_statement_timeout{5000};
  std::chrono::seconds db_connect_timeout{2};
  /// A health probe (SELECT 1) of PostgreSQL unanswered this long, while no writer reports
  /// either, counts the database as unresponsive: waiting writes are answered 503 then.
  std::chrono::milliseconds db_probe_timeout{500};
  std::chrono::seconds simulation_idle{600}; ///< a simulation actor without data this long stops
  std::chrono::seconds cache_ttl{300};       ///< longest life of a cached answer; 0 disables
  std::size_t cache_max_bytes = 64u << 20;   ///< bound of the answer cache; 0 disables it
  /// Bearer token of the admin routes; empty means the admin routes are off (403). Also a key
  /// named "admin-token" with every scope in api_keys.
  std::string admin_token;
  /// Keys of API_KEYS and ADMIN_TOKEN; main adds those of api_keys_file.
  std::vector<api_key_spec> api_keys;
  std::string api_keys_file; ///< a file of "name:scopes:token" lines; empty: none
  /// Whether every route but /health, /metrics and the docs needs a key. AUTH_REQUIRED, or on
  /// exactly when ENVIRONMENT=production. Admin routes always need an admin key.
  bool auth_required = false;
  /// Origins browsers may call from ("*": any). CORS_ALLOWED_ORIGINS, or "*" outside
  /// production and none in production.
  std::vector<std::string> cors_allowed_origins;
  int retention_days = 0; ///< runs without new data for this long are deleted; 0 keeps all
  std::chrono::seconds retention_check{3600}; ///< how often expired runs are looked for
  std::string web_dir; ///< static files (docs, dashboard); empty: the build's web/ folder
};

/// The shortest admin token accepted: a guessable token is worse than none.
inline constexpr std::size_t min_admin_token_length = min_token_length;

/// Settings or the reasons they could not be made (one line per bad value).
struct settings_result {
  settings value;
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

/// Names and values (env-style upper-case keys) with their precedence already applied.
using value_map = std::map<std::string, std::string>;

/// Merges the sources into `merged`: flags ("--http-port=9000" gives HTTP_PORT) win over the
/// environment, which wins over the .env file. Returns one error per unknown flag or flag
/// without "=value".
std::vector<std::string> merge_sources(const value_map& dotenv, const value_map& environment,
                                       const std::vector<std::string>& flags, value_map& merged);

/// Parses every known key of `values` into settings; unknown keys are ignored (the environment
/// holds much else). Each bad value gives one error naming the variable and what it accepts.
settings_result parse_settings(const value_map& values);

/// Adds the keys of an API_KEYS_FILE to `s`; returns one error per bad entry, per name used
/// twice across the sources, and when auth is required but no key is configured.
std::vector<std::string> add_key_file(settings& s, const api_key_list& from_file);

/// Returns an error when `s` requires auth but holds no key (every request would be refused).
std::vector<std::string> check_access(const settings& s);

} // namespace traffic::config
