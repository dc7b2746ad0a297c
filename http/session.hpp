// One HTTP connection: reads requests, hands them to the router, writes the answers in order.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/response.hpp"
#include "http/server_context.hpp"

namespace traffic::http {

/// Lives as long as its connection: every async step holds a shared_ptr to it. All its work
/// runs on its socket's strand; answers computed elsewhere are posted back to it.
class session : public std::enable_shared_from_this<session> {
 public:
  /// Counts itself in context.open_connections until destroyed.
  session(boost::asio::ip::tcp::socket&& socket, server_context& context);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Starts reading the first request.
  void run();

 private:
  void read_request();
  void on_idle_read(boost::beast::error_code ec, std::size_t bytes);
  void read_header();
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  bool reserve_body();
  void release_body();
  void refuse_body();
  void read_body();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void answer(response r, bool close_after);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void close();
  void linger();
  void drain();
  void start_stream(response r);
  void push_event(std::shared_ptr<const std::string> event);
  void write_event();
  void watch_stream_peer();
  void end_stream();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  server_context& context_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> out_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;
  // Facts of the request being answered, for headers and the log line.
  std::chrono::steady_clock::time_point started_;
  std::string request_id_;
  std::string method_;
  std::string target_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool counted_ = false;          ///< counted in context_.in_flight
  bool answered_once_ = false;    ///< an answer went out: the next request may wait idle first
  bool linger_ = false;           ///< after the answer, drain the unread body before closing
  std::size_t body_reserved_ = 0; ///< bytes of context_.body_bytes_in_flight held
  std::size_t route_slot_ = 0;    ///< the route the request matched, for the metrics
  // An event stream: the head, then events in order, one write at a time.
  std::string stream_head_;
  std::deque<std::shared_ptr<const std::string>> events_;
  bool writing_event_ = false;
  std::atomic<bool> stream_ended_{false}; ///< read by producers on other threads
  char peer_byte_ = 0;                    ///< where watch_stream_peer reads into
};

} // namespace traffic::http
