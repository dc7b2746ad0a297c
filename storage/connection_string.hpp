// Turns the configured DATABASE_URL into a libpq connection string with our timeouts.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace traffic::storage {

/// Returns `url` (a postgresql:// URI or a "key=value ..." string) with connect_timeout, TCP
/// keepalive options and tcp_user_timeout added, unless the url already sets them.
std::string connection_string(std::string_view url, std::chrono::seconds connect_timeout);

} // namespace traffic::storage
