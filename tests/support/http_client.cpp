// A small synchronous HTTP/1.1 client for end-to-end tests, with timeouts so a hung server fails.
#include "tests/support/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace traffic::tests {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// Limit on a response body; analytics answers are small, so this only guards against garbage.
constexpr std::uint64_t response_body_limit = 256u << 20;

} // namespace

std::string http_response::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

bool http_response::has_header(const std::string& name) const {
  return headers.count(lower(name)) > 0;
}

nlohmann::json http_response::json() const {
  return nlohmann::json::parse(body);
}

struct http_client::impl {
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  bool reused = false; ///< the open connection already carried a request

  impl(std::uint16_t p, std::chrono::milliseconds t) : port(p), timeout(t) {}

  std::string where() const { return "127.0.0.1:" + std::to_string(port); }

  void close() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
    reused = false;
  }

  void connect() {
    close();
    stream.emplace(ioc);
    stream->expires_after(timeout);
    beast::error_code ec = net::error::would_block;
    stream->async_connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port},
                          [&](beast::error_code e) { ec = e; });
    ioc.restart();
    ioc.run();
    if (ec) {
      close();
      throw transport_error("connect to " + where() + ": " + ec.message(),
                            ec == beast::error::timeout);
    }
  }

  /// Writes the request and reads the answer at the same time, so that a server answering
  /// early (413 before the body is read) and closing is still heard.
  std::optional<http_response> exchange(const http::request<http::string_body>& req,
                                        beast::error_code& error, bool& nothing_received) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(response_body_limit);
    bool write_done = false;
    bool read_done = false;
    beast::error_code write_ec;
    beast::error_code read_ec;
    stream->expires_after(timeout);
    http::async_write(*stream, req, [&](beast::error_code ec, std::size_t) {
      write_ec = ec;
      write_done = true;
    });
    http::async_read(*stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
      read_ec = ec;
      read_done = true;
      // The answer is complete (or failed): a write still pending will never finish usefully.
      if (!write_done) {
        beast::error_code ignored;
        stream->socket().cancel(ignored);
      }
    });
    ioc.restart();
    ioc.run();
    nothing_received = !parser.got_some();
    if (read_ec) {
      error = read_ec;
      close();
      return std::nullopt;
    }
    auto res = parser.release();
    http_response out;
    out.status = res.result_int();
    for (const auto& field : res)
      out.headers[lower(std::string{field.name_string()})] = std::string{field.value()};
    out.body = std::move(res.body());
    if (write_ec || !res.keep_alive())
      close();
    else
      reused = true;
    return out;
  }

  http_response send(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& content_type, const header_map& headers) {
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, where());
    req.set(http::field::user_agent, "traffic-e2e-tests");
    if (!content_type.empty())
      req.set(http::field::content_type, content_type);
    for (const auto& [name, value] : headers)
      req.set(name, value);
    req.body() = body;
    // HTTP/1.1 keeps the connection by default; a caller's "Connection: close" stays as given.
    req.prepare_payload();
    for (int attempt = 0;; ++attempt) {
      if (!stream)
        connect();
      bool was_reused = reused;
      beast::error_code ec;
      bool nothing_received = false;
      if (auto res = exchange(req, ec, nothing_received))
        return std::move(*res);
      // A keep-alive connection the server closed while idle: the request never reached it,
      // so sending it again on a new connection is safe. Anything else is the test's failure.
      if (was_reused && nothing_received && attempt == 0 && ec != beast::error::timeout)
        continue;
      throw transport_error(method + " " + target + " on " + where() + ": " + ec.message(),
                            ec == beast::error::timeout);
    }
  }
};

http_client::http_client(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<impl>(port, timeout)) {}

http_client::~http_client() {
  impl_->close();
}

http_response http_client::get(const std::string& target, const header_map& headers) {
  return impl_->send("GET", target, {}, {}, headers);
}

http_response http_client::post(const std::string& target, const std::string& body,
                                const std::string& content_type, const header_map& headers) {
  return impl_->send("POST", target, body, content_type, headers);
}

http_response http_client::request(const std::string& method, const std::string& target,
                                   const std::string& body, const std::string& content_type,
                                   const header_map& headers) {
  return impl_->send(method, target, body, content_type, headers);
}

void http_client::close() {
  impl_->close();
}

http_response http_once(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body, const std::string& content_type,
                        const header_map& headers, std::chrono::milliseconds timeout) {
  http_client client{port, timeout};
  auto with_close = headers;
  with_close["Connection"] = "close";
  return client.request(method, target, body, content_type, with_close);
}

} // namespace traffic::tests
