// Accepts TCP connections and starts a session for each, up to the connection limit.
#include "http/listener.hpp"

#include <atomic>
#include <cerrno>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <spdlog/spdlog.h>

#include "http/json_responses.hpp"
#include "http/request_id.hpp"
#include "http/session.hpp"

namespace traffic::http {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

/// How long accepting pauses when the process is out of file descriptors (or socket memory):
/// accepting again at once would spin, since the connection stays in the backlog.
constexpr auto accept_pause = std::chrono::milliseconds{100};

/// How often that condition is logged at most.
constexpr auto accept_warning_interval = std::chrono::seconds{10};

/// How long a refused connection is kept to let the client read its 503: closing a socket
/// with unread input sends a reset, which can destroy the answer before the client reads it.
constexpr auto refusal_linger = std::chrono::seconds{2};

/// Refused connections lingering at most; beyond this a refused connection is just closed, so
/// a connection flood cannot use the descriptors that the limit keeps free.
constexpr int max_lingering_refusals = 256;

std::atomic<int> lingering_refusals{0};

/// A connection over the limit: answers 503 in the one error shape, half-closes, and reads
/// (discarding) until the client closes or refusal_linger passes.
class refusal : public std::enable_shared_from_this<refusal> {
 public:
  explicit refusal(net::ip::tcp::socket&& socket) : stream_{std::move(socket)} {
    ++lingering_refusals;
  }
  ~refusal() { --lingering_refusals; }
  refusal(const refusal&) = delete;
  refusal& operator=(const refusal&) = delete;

  void run(const server_context& context) {
    auto request_id = choose_request_id("");
    auto body = error_body("service_unavailable",
                           "too many open connections (" + std::to_string(context.max_connections) +
                               "); retry later",
                           {}, request_id);
    text_ = "HTTP/1.1 503 Service Unavailable\r\nServer: traffic-server\r\n"
            "Content-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) +
            "\r\nConnection: close\r\nRetry-After: 1\r\nX-Request-ID: " + request_id +
            "\r\nX-Process-Time: 0.000000\r\n\r\n" + body;
    context.routes.record(context.routes.unmatched_slot(), "-", 503, 0.0);
    stream_.expires_after(refusal_linger);
    net::async_write(stream_, net::buffer(text_),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec)
                         return;
                       beast::error_code ignored;
                       self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send,
                                                       ignored);
                       self->drain();
                     });
  }

 private:
  void drain() {
    stream_.async_read_some(net::buffer(sink_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              // Until the client's FIN (eof) or the linger deadline (the stream
                              // closes the socket).
                              if (!ec)
                                self->drain();
                            });
  }

  beast::tcp_stream stream_;
  std::string text_;
  char sink_[1024];
};

/// Returns true for an accept error that means "no descriptor or memory for a socket now".
bool out_of_descriptors(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category())
    return false;
  auto e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

} // namespace

listener::listener(net::io_context& io, const net::ip::tcp::endpoint& endpoint,
                   server_context& context)
    : io_{io}, acceptor_{net::make_strand(io)}, pause_{acceptor_.get_executor()}, context_{
                                                                                      context} {
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
    self->pause_.cancel();
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
  if (ec && out_of_descriptors(ec))
    return pause_accepting(ec);
  if (ec) {
    spdlog::warn("accept failed: error=\"{}\"", ec.message());
  } else if (context_.open_connections.load() >= context_.max_connections) {
    if (lingering_refusals.load() < max_lingering_refusals) {
      std::make_shared<refusal>(std::move(socket))->run(context_);
    } else {
      beast::error_code ignored;
      socket.close(ignored);
    }
  } else {
    std::make_shared<session>(std::move(socket), context_)->run();
  }
  if (acceptor_.is_open())
    accept();
}

void listener::pause_accepting(beast::error_code ec) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_warning_ >= accept_warning_interval) {
    last_warning_ = now;
    spdlog::warn("cannot accept connections, pausing: error=\"{}\" open_connections={} "
                 "pause_ms={} (raise the open-files limit or lower HTTP_MAX_CONNECTIONS)",
                 ec.message(), context_.open_connections.load(), accept_pause.count());
  }
  pause_.expires_after(accept_pause);
  pause_.async_wait([self = shared_from_this()](beast::error_code e) {
    if (!e && self->acceptor_.is_open())
      self->accept();
  });
}

} // namespace traffic::http
