// Accepts TCP connections and starts a session for each, up to the connection limit.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include "http/server_context.hpp"

namespace traffic::http {

/// Owns the listening socket. Call run() once; stop() closes the socket so no new connection
/// is accepted (connections already open carry on). A connection accepted while
/// context.max_connections sessions are open is answered 503 (Retry-After: 1) and closed.
class listener : public std::enable_shared_from_this<listener> {
 public:
  /// Binds and listens; throws boost::system::system_error when the address is unusable.
  listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           server_context& context);

  /// Starts accepting.
  void run();

  /// Stops accepting; safe to call from any thread.
  void stop();

  /// Returns the bound port (useful when binding port 0).
  unsigned short port() const { return port_; }

 private:
  void accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void pause_accepting(boost::beast::error_code ec);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_; ///< waits out a lack of file descriptors
  server_context& context_;
  unsigned short port_ = 0;
  std::chrono::steady_clock::time_point last_warning_{};
};

} // namespace traffic::http
