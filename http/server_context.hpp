// What every HTTP session shares: the routes, the limits and the shutdown counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>

#include "http/router.hpp"

namespace traffic::http {

/// Owned by main; outlives the I/O threads. The atomics are the only state sessions share:
/// main reads them to drain in-flight requests at shutdown.
struct server_context {
  explicit server_context(const router& r) : routes{r} {}

  const router& routes;
  std::size_t body_limit = 8u << 20;
  std::size_t header_limit = 16u << 10;
  std::chrono::seconds read_timeout{30}; ///< for a whole request, headers and body
  std::atomic<int> in_flight{0};         ///< requests read but not yet answered
  std::atomic<bool> stopping{false};     ///< answer with Connection: close from now on
};

} // namespace traffic::http
