// A small synchronous HTTP/1.1 client for end-to-end tests, with timeouts so a hung server fails.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace traffic::tests {

/// Header names and values; names compare case-insensitively when looked up in a response.
using header_map = std::map<std::string, std::string>;

/// One answer: status, headers (names lower-cased) and body.
struct http_response {
  unsigned status = 0;
  header_map headers; ///< names lower-cased; a repeated header keeps its last value
  std::string body;

  /// Returns the value of header `name` (any case), or "" when it is absent.
  std::string header(const std::string& name) const;

  /// Returns true when header `name` (any case) is present.
  bool has_header(const std::string& name) const;

  /// Parses the body as JSON; throws nlohmann::json::parse_error when it is not JSON.
  nlohmann::json json() const;
};

/// Thrown when no answer arrived: refused connection, reset, timeout.
class transport_error : public std::runtime_error {
 public:
  explicit transport_error(const std::string& what, bool timed_out = false)
      : std::runtime_error(what), timed_out_(timed_out) {}

  /// Returns true when the server held the request past the client's timeout without answering.
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

/// A keep-alive connection to 127.0.0.1:port. Reconnects when the server closed the previous
/// connection. Not thread-safe: one client per thread.
class http_client {
 public:
  /// Does not connect yet; the first request does. `timeout` bounds connect, write and read of
  /// each request.
  explicit http_client(std::uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds{10});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Sends GET `target`; throws transport_error when no answer arrives in time.
  http_response get(const std::string& target, const header_map& headers = {});

  /// Sends POST `target` with `body`; an empty `content_type` sends no Content-Type header.
  /// Throws transport_error when no answer arrives in time.
  http_response post(const std::string& target, const std::string& body,
                     const std::string& content_type = "application/json",
                     const header_map& headers = {});

  /// Sends any method ("PUT", "DELETE", ...); as post otherwise.
  http_response request(const std::string& method, const std::string& target,
                        const std::string& body, const std::string& content_type,
                        const header_map& headers);

  /// Closes the connection; the next request opens a new one.
  void close();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Sends one request on a fresh connection that is closed afterwards.
http_response http_once(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = {}, const std::string& content_type = {},
                        const header_map& headers = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds{10});

} // namespace traffic::tests
