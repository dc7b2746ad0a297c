// Request ids: echo a caller's sane X-Request-ID, or make a new one.
#pragma once

#include <string>
#include <string_view>

namespace traffic::http {

/// Returns `incoming` when it is 1 to 128 characters of letters, digits and `_ - . :`, else a
/// new random id of 16 hex digits.
std::string choose_request_id(std::string_view incoming);

/// Returns `text` with quotes, backslashes and control characters escaped (\", \\, \xNN), so a
/// client-chosen value can be put inside a log line, in text or JSON format, safely.
std::string log_safe(std::string_view text);

} // namespace traffic::http
