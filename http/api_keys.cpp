// Bearer API keys: kept as SHA-256 hashes, found in constant time, checked per scope.
#include "http/api_keys.hpp"

#include <cctype>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace traffic::http {

namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

} // namespace

const char* scope_name(scope s) {
  switch (s) {
    case scope::none: return "none";
    case scope::ingest: return "ingest";
    case scope::read: return "read";
    case scope::admin: return "admin";
  }
  return "none";
}

void key_ring::add(std::string name, unsigned scopes, std::string_view token) {
  keys_.push_back({std::move(name), scopes, sha256(token)});
}

bool key_ring::any_with(scope s) const {
  for (const auto& k : keys_)
    if (k.scopes & static_cast<unsigned>(s))
      return true;
  return false;
}

const key_ring::key* key_ring::lookup(std::string_view token) const {
  // Hashing first makes every comparison the same length whatever the token's; no early exit
  // from the loop, so the time does not depend on which key (if any) matched.
  auto hash = sha256(token);
  const key* found = nullptr;
  for (const auto& k : keys_)
    if (CRYPTO_memcmp(hash.data(), k.token_hash.data(), hash.size()) == 0)
      found = &k;
  return found;
}

const std::string* key_ring::find(std::string_view token) const {
  const key* found = lookup(token);
  return found ? &found->name : nullptr;
}

access key_ring::check(std::string_view authorization, scope needed, bool required,
                       const std::string** key_name) const {
  if (needed == scope::none)
    return access::granted;
  if (needed == scope::admin && !any_with(scope::admin))
    return access::admin_off;
  if (needed != scope::admin && !required)
    return access::granted;
  auto token = bearer_token(authorization);
  if (token.empty())
    return access::missing;
  const key* found = lookup(token);
  if (!found)
    return access::unknown_key;
  if (key_name)
    *key_name = &found->name;
  return found->scopes & static_cast<unsigned>(needed) ? access::granted
                                                       : access::insufficient_scope;
}

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size())
    return {};
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return {};
  auto token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  return token;
}

} // namespace traffic::http
