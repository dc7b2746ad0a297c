// Bearer API keys: kept as SHA-256 hashes, found in constant time, checked per scope.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace traffic::http {

/// What a route needs; a key holds any combination (the bits of config::scope_bit).
enum class scope : unsigned {
  none = 0,   ///< public: health, metrics, docs, preflight
  ingest = 1, ///< POST snapshots, PUT a run's tags
  read = 2,   ///< analytics, dashboard, charts, runs, system info
  admin = 4,  ///< DELETE a run, clear the cache (needed even while auth is off)
};

/// Returns the scope's name as a WWW-Authenticate scope ("ingest", "read", "admin").
const char* scope_name(scope s);

/// What a request's credentials allow for one scope.
enum class access {
  granted,
  missing,            ///< no "Bearer <token>" (401)
  unknown_key,        ///< a token that is no configured key (401)
  insufficient_scope, ///< a known key without the scope (403)
  admin_off,          ///< an admin route while no key has the admin scope (403)
};

/// The configured keys. Only hashes are kept: a memory dump or core file holds no token.
class key_ring {
 public:
  /// Adds a key; `scopes` is a combination of scope bits.
  void add(std::string name, unsigned scopes, std::string_view token);

  /// Returns whether any key holds `s`.
  bool any_with(scope s) const;

  /// Returns the name of the key `token` belongs to, or nullptr. Every key is compared, each
  /// in constant time, so the answer's timing says nothing about which key nearly matched.
  const std::string* find(std::string_view token) const;

  /// Checks an Authorization header value for `needed`; with `required` false only admin
  /// routes look at credentials. `key_name` receives the key's name when one matched.
  access check(std::string_view authorization, scope needed, bool required,
               const std::string** key_name = nullptr) const;

 private:
  struct key {
    std::string name;
    unsigned scopes = 0;
    std::array<unsigned char, 32> token_hash{};
  };
  const key* lookup(std::string_view token) const;
  std::vector<key> keys_;
};

/// Returns the token of a "Bearer <token>" header (scheme in any case, spaces trimmed), or an
/// empty view when the header is absent or another scheme.
std::string_view bearer_token(std::string_view authorization);

} // namespace traffic::http
