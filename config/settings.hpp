// The server's settings, read from the environment, a .env file and command-line flags.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

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
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds db_statement_timeout{5000};
  std::chrono::seconds db_connect_timeout{2};
  std::chrono::seconds simulation_idle{600}; ///< a simulation actor without data this long stops
  std::chrono::seconds cache_ttl{300};       ///< longest life of a cached answer; 0 disables
  std::size_t cache_max_bytes = 64u << 20;   ///< bound of the answer cache; 0 disables it
  /// Bearer token of the admin routes; empty means the admin routes are off (403).
  std::string admin_token;
};

/// The shortest admin token accepted: a guessable token is worse than none.
inline constexpr std::size_t min_admin_token_length = 16;

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

} // namespace traffic::config
