// Accepts TCP connections and starts a session for each.
#include "http/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <spdlog/spdlog.h>

#include "http/session.hpp"

namespace traffic::http {

namespace net = boost::asio;
namespace beast = boost::beast;

listener::listener(net::io_context& io, const net::ip::tcp::endpoint& endpoint,
                   server_context& context)
    : io_{io}, acceptor_{net::make_strand(io)}, context_{context} {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void listener::run() {
  accept();
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
  });
}

void listener::accept() {
  // Each connection gets its own strand, so its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(io_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted)
    return; // stop() closed the acceptor
  if (ec) {
    spdlog::warn("accept failed: error=\"{}\"", ec.message());
  } else {
    std::make_shared<session>(std::move(socket), context_)->run();
  }
  if (acceptor_.is_open())
    accept();
}

} // namespace traffic::http
