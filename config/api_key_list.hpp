// Parses API keys ("name:scopes:token") from API_KEYS or the lines of API_KEYS_FILE.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace traffic::config {

/// What a key may do, as bits; a key holds any combination.
enum scope_bit : unsigned {
  scope_ingest = 1, ///< POST snapshots, PUT a run's tags
  scope_read = 2,   ///< analytics, dashboard, charts, runs, system info
  scope_admin = 4,  ///< DELETE a run, clear the cache
};

/// One configured key. The token is a secret: it is never printed or logged.
struct api_key_spec {
  std::string name;
  unsigned scopes = 0;
  std::string token;
};

/// Keys, or one error per bad entry (errors name the entry, never its token).
struct api_key_list {
  std::vector<api_key_spec> keys;
  std::vector<std::string> errors;
};

/// The shortest token accepted: a guessable token is worse than none.
inline constexpr std::size_t min_token_length = 16;

/// Parses entries separated by commas or newlines, each "name:scope+scope:token" with scopes
/// from ingest, read and admin; blank entries and lines starting with '#' are skipped.
/// `source` (e.g. "API_KEYS") prefixes each error.
api_key_list parse_api_keys(std::string_view text, std::string_view source);

/// Returns the scope names of `scopes` joined by '+', in the order ingest, read, admin.
std::string scope_names(unsigned scopes);

} // namespace traffic::config
