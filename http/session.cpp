// One HTTP connection: reads requests, hands them to the router, writes the answers in order.
#include "http/session.hpp"

#include <cstdio>
#include <iterator>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "http/json_responses.hpp"
#include "http/request_id.hpp"

namespace traffic::http {

namespace beast = boost::beast;
namespace bh = boost::beast::http;
namespace net = boost::asio;

namespace {

/// Bodies announced larger than this are read this much at a time.
constexpr std::size_t large_read = 64 * 1024;

/// What an idle connection's read buffer may keep.
constexpr std::size_t small_read = 8 * 1024;

/// Events a slow stream reader may have waiting; older ones are dropped first, since each
/// event is a whole new view.
constexpr std::size_t max_waiting_events = 4;

/// How long one event may take to reach a client before the stream is given up.
constexpr auto event_write_timeout = std::chrono::seconds{10};

/// How long a client may take to read an answer (a slow reader holds its connection no longer).
constexpr auto answer_write_timeout = std::chrono::seconds{30};

/// How long a connection refused before its body is kept to read (and drop) that body: closing
/// with unread input sends a reset, which can destroy the answer before the client reads it.
constexpr auto linger_timeout = std::chrono::seconds{2};

std::string_view to_std(beast::string_view text) {
  return {text.data(), text.size()};
}

/// Returns why an HTTP/1.1 request's Host is unacceptable (RFC 9112 3.2: exactly one, a
/// valid authority), or nullptr. HTTP/1.0 needs none.
const char* host_problem(const bh::request<bh::string_body>& request) {
  auto hosts = request.equal_range(bh::field::host);
  auto count = std::distance(hosts.first, hosts.second);
  if (request.version() < 11 && count == 0)
    return nullptr;
  if (count != 1)
    return count == 0 ? "an HTTP/1.1 request needs a Host header"
                      : "a request may carry only one Host header";
  for (char c : hosts.first->value())
    if (static_cast<unsigned char>(c) <= ' ' || c == 127 || c == '/' || c == '?' || c == '#' ||
        c == '@')
      return "the Host header is not a valid host[:port]";
  return nullptr;
}

} // namespace

session::session(net::ip::tcp::socket&& socket, server_context& context)
    : stream_{std::move(socket)}, context_{context} {
  ++context_.open_connections;
}

session::~session() {
  release_body();
  --context_.open_connections;
}

void session::run() {
  // Start on the session's strand: every later step runs there too.
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&session::read_request, shared_from_this()));
}

void session::read_request() {
  if (buffer_.size() == 0 && buffer_.capacity() > small_read)
    buffer_.shrink_to_fit(); // an idle connection keeps no large-body room
  if (buffer_.size() > 0 || !answered_once_)
    return read_header();
  // Kept alive between requests: wait for the next one's first byte for the idle timeout, so a
  // quiet client may keep its connection longer than a slow-drip one may take over its headers.
  stream_.expires_after(context_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(small_read),
                          beast::bind_front_handler(&session::on_idle_read, shared_from_this()));
}

void session::on_idle_read(beast::error_code ec, std::size_t bytes) {
  buffer_.commit(bytes);
  if (ec) {
    // The idle timeout (the stream closed the socket), or the client went away.
    if (ec != beast::error::timeout && ec != net::error::eof &&
        ec != net::error::operation_aborted && ec != net::error::connection_reset)
      spdlog::debug("idle connection read failed: error=\"{}\"", ec.message());
    return close();
  }
  read_header();
}

void session::read_header() {
  parser_.emplace();
  parser_->body_limit(context_.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(context_.header_limit));
  // One deadline for the whole header, however it trickles in.
  stream_.expires_after(context_.header_timeout);
  bh::async_read_header(stream_, buffer_, *parser_,
                        beast::bind_front_handler(&session::on_header, shared_from_this()));
}

void session::on_header(beast::error_code ec, std::size_t bytes) {
  if (ec)
    return on_read(ec, bytes);
  if (!reserve_body())
    return refuse_body();
  // Clients such as curl (bodies over 1 MiB) or .NET wait up to a second for "100 Continue"
  // before sending a body they announced with Expect; answer at once.
  if (beast::iequals(parser_->get()[bh::field::expect], "100-continue")) {
    continue_ = {bh::status::continue_, parser_->get().version()};
    return bh::async_write(stream_, continue_,
                           [self = shared_from_this()](beast::error_code e, std::size_t) {
                             if (e)
                               return self->close();
                             self->read_body();
                           });
  }
  read_body();
}

bool session::reserve_body() {
  // A body over body_limit is left to the parser, which fails it with 413.
  auto announced = parser_->content_length();
  if (announced && (*announced == 0 || *announced > context_.body_limit))
    return true;
  if (!announced && !parser_->chunked())
    return true; // no body
  auto want = announced ? static_cast<std::size_t>(*announced) : context_.body_limit;
  auto before = context_.body_bytes_in_flight.fetch_add(want);
  // One body always fits, however large, so a budget below body_limit cannot lock out a
  // request that is otherwise allowed.
  if (before > 0 && before + want > context_.max_body_bytes_in_flight) {
    context_.body_bytes_in_flight.fetch_sub(want);
    return false;
  }
  body_reserved_ = want;
  return true;
}

void session::release_body() {
  if (body_reserved_ > 0) {
    context_.body_bytes_in_flight.fetch_sub(body_reserved_);
    body_reserved_ = 0;
  }
}

void session::refuse_body() {
  // Overload: the bodies in flight (queued writes among them) fill the budget. Answer before
  // reading this body, so the excess costs no memory and no decoding, then drop the connection,
  // since its unread body stands between this request and the next.
  started_ = std::chrono::steady_clock::now();
  const auto& request = parser_->get();
  request_id_ = choose_request_id(to_std(request["X-Request-ID"]));
  method_ = std::string{request.method_string()};
  target_ = std::string{request.target()};
  version_ = request.version();
  keep_alive_ = false;
  linger_ = true;
  route_slot_ = context_.routes.unmatched_slot();
  response r{503,
             error_body("service_unavailable",
                        "too many request bodies in flight (" +
                            std::to_string(context_.max_body_bytes_in_flight) +
                            " bytes); retry later",
                        {}, request_id_),
             {}};
  r.headers.emplace_back("Retry-After", "1");
  answer(std::move(r), true);
}

void session::read_body() {
  // Beast reads at most the buffer's free capacity (512 bytes at least) per call, so a 1.3 MB
  // batch through a small buffer took thousands of reads, each a syscall and a handler. A large
  // announced body gets 64 KiB reads; read_request gives the room back afterwards.
  if (auto length = parser_->content_length(); length && *length > large_read)
    buffer_.reserve(buffer_.size() + large_read);
  stream_.expires_after(context_.body_timeout);
  bh::async_read(stream_, buffer_, *parser_,
                 beast::bind_front_handler(&session::on_read, shared_from_this()));
}

void session::on_read(beast::error_code ec, std::size_t) {
  started_ = std::chrono::steady_clock::now();
  if (ec == bh::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset)
    return close();
  if (ec) {
    // The request could not be read whole: answer once, then close, because the rest of the
    // stream cannot be trusted to start at a request boundary.
    // The client's request id, if its field was parsed before the failure (a body too large is
    // refused while the header is read, a broken chunk after it).
    bool have_header = parser_ && parser_->is_header_done();
    request_id_ =
        choose_request_id(parser_ ? to_std(parser_->get()["X-Request-ID"]) : std::string_view{});
    route_slot_ = context_.routes.unmatched_slot();
    method_ = have_header ? std::string{parser_->get().method_string()} : "-";
    target_ = have_header ? std::string{parser_->get().target()} : "-";
    version_ = 11;
    keep_alive_ = false;
    if (ec == bh::error::body_limit)
      return answer(response{413,
                             error_body("payload_too_large",
                                        "the body is larger than " +
                                            std::to_string(context_.body_limit) + " bytes",
                                        {}, request_id_),
                             {}},
                    true);
    if (ec == bh::error::header_limit)
      return answer(response{431,
                             error_body("headers_too_large", "the request headers are too large",
                                        {}, request_id_),
                             {}},
                    true);
    if (ec.category() == bh::make_error_code(bh::error::bad_target).category())
      return answer(response{400, error_body("bad_request", ec.message(), {}, request_id_), {}},
                    true);
    spdlog::debug("connection read failed: error=\"{}\"", ec.message());
    return close();
  }
  const auto& request = parser_->get();
  request_id_ = choose_request_id(to_std(request["X-Request-ID"]));
  method_ = std::string{request.method_string()};
  target_ = std::string{request.target()};
  version_ = request.version();
  keep_alive_ = request.keep_alive();
  if (auto problem = host_problem(request)) {
    keep_alive_ = false;
    return answer(response{400, error_body("bad_request", problem, {}, request_id_), {}}, true);
  }
  counted_ = true;
  ++context_.in_flight;
  incoming_request in{request.method(),
                      to_std(request.target()),
                      to_std(request[bh::field::content_type]),
                      request.body(),
                      request_id_,
                      to_std(request[bh::field::authorization]),
                      to_std(request[bh::field::origin])};
  route_slot_ = context_.routes.handle(in, [self = shared_from_this()](response r) {
    // Routes may answer from a CAF worker thread: hop back onto this session's strand.
    net::post(self->stream_.get_executor(),
              [self, r = std::move(r)]() mutable { self->answer(std::move(r), false); });
  });
  // The route decoded the body on this thread and keeps copies of what it needs: give the
  // body's memory back now, not at the next request, so a request waiting for its commit holds
  // only its snapshots.
  std::string{}.swap(parser_->get().body());
}

void session::answer(response r, bool close_after) {
  release_body(); // the answer is ready: what the body became is no longer held for it
  if (r.events && method_ == "HEAD")
    r.events = nullptr; // the stream's headers only
  if (r.events)
    return start_stream(std::move(r));
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
  char process_time[32];
  std::snprintf(process_time, sizeof process_time, "%.6f", elapsed.count());
  bool keep_alive = keep_alive_ && !close_after && !context_.stopping.load();
  out_ = {};
  out_.result(r.status);
  out_.version(version_);
  out_.set(bh::field::server, "traffic-server");
  if (!r.body.empty() || r.status != 204)
    out_.set(bh::field::content_type, r.content_type);
  out_.set("X-Request-ID", request_id_);
  out_.set("X-Process-Time", process_time);
  for (auto& [name, value] : r.headers)
    out_.set(name, value);
  out_.keep_alive(keep_alive);
  out_.body() = std::move(r.body);
  out_.prepare_payload();
  if (method_ == "HEAD") {
    // The headers of the GET answer, Content-Length included, and no body (RFC 9110 9.3.2).
    auto length = out_.body().size();
    out_.body().clear();
    out_.content_length(length);
  }
  context_.routes.record(route_slot_, method_, r.status, elapsed.count());
  // The check first: the arguments (an escaped copy of the path) cost even when not logged.
  if (spdlog::should_log(spdlog::level::info))
    spdlog::info("method={} path=\"{}\" status={} duration_ms={:.3f} request_id={}", method_,
                 log_safe(target_), r.status, elapsed.count() * 1000, request_id_);
  // The read deadlines (header, body) must not cut an answer that took long to compute.
  stream_.expires_after(answer_write_timeout);
  bh::async_write(stream_, out_,
                  beast::bind_front_handler(&session::on_write, shared_from_this(), !keep_alive));
}

void session::on_write(bool close_after, beast::error_code ec, std::size_t) {
  if (counted_) {
    counted_ = false;
    --context_.in_flight;
  }
  answered_once_ = true;
  if (ec) {
    spdlog::debug("connection write failed: error=\"{}\"", ec.message());
    return close();
  }
  if (close_after)
    return linger_ ? linger() : close();
  read_request();
}

void session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

void session::linger() {
  close();
  // Read and drop what the client still sends (the refused body) until it closes or the
  // deadline passes (the stream then closes the socket).
  buffer_.clear();
  stream_.expires_after(linger_timeout);
  drain();
}

void session::drain() {
  stream_.async_read_some(buffer_.prepare(small_read),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec)
                              self->drain();
                          });
}

void session::start_stream(response r) {
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
  context_.routes.record(route_slot_, method_, r.status, elapsed.count());
  if (spdlog::should_log(spdlog::level::info))
    spdlog::info("method={} path=\"{}\" status={} stream=opened request_id={}", method_,
                 log_safe(target_), r.status, request_id_);
  // Written by hand: the body has no length and ends when the connection closes, which
  // "Connection: close" announces; no chunking is needed for that.
  stream_head_ = "HTTP/1.1 " + std::to_string(r.status) +
                 " OK\r\nServer: traffic-server\r\nContent-Type: " + r.content_type +
                 "\r\nConnection: close\r\nX-Request-ID: " + request_id_ + "\r\n";
  for (const auto& [name, value] : r.headers)
    stream_head_ += name + ": " + value + "\r\n";
  stream_head_ += "\r\n" + r.body;
  stream_.expires_after(event_write_timeout);
  net::async_write(
      stream_, net::buffer(stream_head_),
      [self = shared_from_this(), events = std::move(r.events)](beast::error_code ec, std::size_t) {
        // A stream is not a request in flight: shutdown does not wait for it.
        if (self->counted_) {
          self->counted_ = false;
          --self->context_.in_flight;
        }
        if (ec)
          return self->end_stream();
        self->watch_stream_peer();
        std::weak_ptr<session> weak = self;
        auto executor = self->stream_.get_executor();
        events([weak, executor](std::shared_ptr<const std::string> event) {
          auto s = weak.lock();
          if (!s || s->stream_ended_.load())
            return false;
          net::post(executor,
                    [s, event = std::move(event)]() mutable { s->push_event(std::move(event)); });
          return true;
        });
      });
}

void session::push_event(std::shared_ptr<const std::string> event) {
  if (!event || context_.stopping.load())
    return end_stream();
  if (stream_ended_.load())
    return;
  // The front event may be on the wire (its buffer in use): drop the oldest after it.
  if (events_.size() >= max_waiting_events)
    events_.erase(events_.begin() + (writing_event_ ? 1 : 0));
  events_.push_back(std::move(event));
  if (!writing_event_)
    write_event();
}

void session::write_event() {
  writing_event_ = true;
  stream_.expires_after(event_write_timeout);
  net::async_write(stream_, net::buffer(*events_.front()),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->writing_event_ = false;
                     self->events_.pop_front();
                     if (ec)
                       return self->end_stream();
                     if (!self->events_.empty() && !self->stream_ended_.load())
                       self->write_event();
                   });
}

void session::watch_stream_peer() {
  // The pending read keeps the session alive while it streams, and ends the stream as soon as
  // the client closes (or sends anything: a stream takes no further request). On the socket
  // itself, so the write timeouts of the stream do not apply to it.
  stream_.socket().async_read_some(
      net::buffer(&peer_byte_, 1),
      net::bind_executor(
          stream_.get_executor(),
          [self = shared_from_this()](beast::error_code, std::size_t) { self->end_stream(); }));
}

void session::end_stream() {
  if (stream_ended_.exchange(true))
    return;
  // events_ stays: a write in progress still uses its front; the session frees them.
  // Closed, not just shut down: that also ends the pending peer read, so a client that
  // vanished without a FIN does not keep the session.
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

} // namespace traffic::http
