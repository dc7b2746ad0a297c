// What every HTTP session shares: the routes, the limits and the shutdown counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>

#include "http/router.hpp"

namespace traffic::http {

/// Owned by main; outlives the I/O threads. The atomics are the only state sessions share:
/// main reads them to drain in-flight requests at shutdown, the listener to bound connections.
struct server_context {
  explicit server_context(const router& r) : routes{r} {}

  const router& routes;
  std::size_t body_limit = 8u << 20;
  std::size_t header_limit = 16u << 10;
  /// A request's headers must be complete this long after the connection opened or, on a
  /// kept-alive connection, after the request's first byte; a slow-drip client is cut off.
  std::chrono::milliseconds header_timeout{10000};
  /// Its body must be complete this long after the headers.
  std::chrono::milliseconds body_timeout{30000};
  /// A kept-alive connection waits this long for the next request's first byte.
  std::chrono::milliseconds idle_timeout{30000};
  /// Sessions at most; the listener answers a connection beyond it 503 and closes it.
  std::size_t max_connections = 10000;
  /// Bytes of request bodies being read, decoded or waiting for their answer, at most. A
  /// request whose announced body does not fit (while another body is in flight) is answered
  /// 503 before its body is read, so overload costs neither memory nor decoding.
  std::size_t max_body_bytes_in_flight = 64u << 20;
  std::atomic<std::size_t> open_connections{0};     ///< sessions alive (streams included)
  std::atomic<std::size_t> body_bytes_in_flight{0}; ///< bytes reserved by sessions
  std::atomic<int> in_flight{0};                    ///< requests read but not yet answered
  std::atomic<bool> stopping{false};                ///< answer with Connection: close from now on
};

} // namespace traffic::http
