// Which browser origins may call the API, and the CORS headers that tell browsers so.
#include "http/cors.hpp"

#include <algorithm>

#include "http/error_responses.hpp"

namespace traffic::http {

namespace {

/// How long browsers may reuse a preflight answer.
constexpr const char* preflight_max_age = "600";

} // namespace

cors_policy::cors_policy(std::vector<std::string> origins) : origins_{std::move(origins)} {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

bool cors_policy::allows(std::string_view origin) const {
  if (origin.empty())
    return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void cors_policy::decorate(response& r, std::string_view origin) const {
  if (!allows(origin))
    return;
  r.headers.emplace_back("Access-Control-Allow-Origin", any_ ? "*" : std::string{origin});
  if (!any_)
    r.headers.emplace_back("Vary", "Origin");
  r.headers.emplace_back("Access-Control-Expose-Headers",
                         "X-Request-ID, X-Process-Time, X-Cache, Retry-After");
}

response cors_policy::preflight(std::string_view origin, const std::string& methods,
                                std::string_view request_id) const {
  if (!origin.empty() && !allows(origin))
    return error_response(403, "forbidden",
                          "this origin may not call the API (see CORS_ALLOWED_ORIGINS)",
                          request_id);
  response r{204, {}, {}};
  r.headers.emplace_back("Allow", methods + ", OPTIONS");
  if (origin.empty())
    return r;
  decorate(r, origin);
  r.headers.emplace_back("Access-Control-Allow-Methods", methods + ", OPTIONS");
  r.headers.emplace_back("Access-Control-Allow-Headers",
                         "Authorization, Content-Type, X-Request-ID");
  r.headers.emplace_back("Access-Control-Max-Age", preflight_max_age);
  return r;
}

} // namespace traffic::http
