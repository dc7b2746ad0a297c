// Request ids: echo a caller's sane X-Request-ID, or make a new one.
#include "http/request_id.hpp"

#include <cstdio>
#include <random>

#include "metrics/validation.hpp"

namespace traffic::http {

std::string choose_request_id(std::string_view incoming) {
  if (metrics::is_valid_id(incoming))
    return std::string{incoming};
  // One generator per I/O thread: no lock, and ids need to be unique, not secret.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(generator()));
  return buffer;
}

std::string log_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buffer[5];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

} // namespace traffic::http
