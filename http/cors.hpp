// Which browser origins may call the API, and the CORS headers that tell browsers so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/response.hpp"

namespace traffic::http {

/// The allowed origins of CORS_ALLOWED_ORIGINS ("*": any). Requests without an Origin header
/// (curl, simulators, server-to-server) are never affected.
class cors_policy {
 public:
  explicit cors_policy(std::vector<std::string> origins = {});

  /// Returns whether a browser page from `origin` may read the answers.
  bool allows(std::string_view origin) const;

  /// Adds Access-Control-Allow-Origin (and Vary, Expose-Headers) to an answer for `origin`
  /// when it is allowed; leaves `r` alone otherwise.
  void decorate(response& r, std::string_view origin) const;

  /// Answers a preflight (OPTIONS) for a path accepting `methods` (e.g. "GET, PUT"): 204
  /// with the allowed methods and headers, or 403 when `origin` is not allowed.
  response preflight(std::string_view origin, const std::string& methods,
                     std::string_view request_id) const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
};

} // namespace traffic::http
