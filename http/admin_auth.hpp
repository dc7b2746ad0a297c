// Checks the bearer token of admin requests without leaking its content through timing.
#pragma once

#include <string_view>

namespace traffic::http {

/// What an Authorization header says about an admin request.
enum class admin_access {
  granted,
  not_configured, ///< no admin token is set: admin routes are off (403)
  missing,        ///< no "Bearer <token>" credentials (401)
  wrong,          ///< credentials that are not the configured token (401)
};

/// Checks `authorization` ("Bearer <token>", the scheme in any case) against `configured`.
/// The comparison takes the same time wherever the first difference is.
admin_access check_admin(std::string_view authorization, std::string_view configured);

/// Returns true when `a` equals `b`; its running time depends on the lengths only.
bool equal_in_constant_time(std::string_view a, std::string_view b);

} // namespace traffic::http
