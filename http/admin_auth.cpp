// Checks the bearer token of admin requests without leaking its content through timing.
#include "http/admin_auth.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>

namespace traffic::http {

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  // Walk the longer text whole and fold every difference in, so neither an early mismatch nor
  // a length mismatch returns sooner than a near miss.
  std::size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

admin_access check_admin(std::string_view authorization, std::string_view configured) {
  if (configured.empty())
    return admin_access::not_configured;
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size())
    return admin_access::missing;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return admin_access::missing;
  auto token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  if (token.empty())
    return admin_access::missing;
  return equal_in_constant_time(token, configured) ? admin_access::granted : admin_access::wrong;
}

} // namespace traffic::http
