// End-to-end test: a client that announces its body with "Expect: 100-continue" is told to go on
// at once (curl does this for bodies over 1 MiB and would otherwise stall for a second).
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "tests/support/fixtures.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

namespace net = boost::asio;
using net::ip::tcp;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_snapshots;
using traffic::tests::test_database;

/// Reads one response head (up to the blank line) from `socket`, giving up after `patience`.
std::string read_head(tcp::socket& socket, net::streambuf& buffer,
                      std::chrono::milliseconds patience) {
  // A receive timeout makes the blocking read fail instead of hanging on a silent server.
  struct timeval tv {
    0, static_cast<suseconds_t>(patience.count() * 1000)
  };
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  boost::system::error_code ec;
  auto n = net::read_until(socket, buffer, "\r\n\r\n", ec);
  if (ec)
    return "error: " + ec.message();
  std::string head{net::buffers_begin(buffer.data()),
                   net::buffers_begin(buffer.data()) + static_cast<std::ptrdiff_t>(n)};
  buffer.consume(n);
  return head;
}

TEST(ExpectContinue, AnswersContinueBeforeTheBodyIsSent) {
  test_database db;
  server_process server{db.url()};
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;

  net::io_context io;
  tcp::socket socket{io};
  socket.connect({net::ip::make_address("127.0.0.1"), server.port()});
  const auto body = simple_snapshot("SIM_EXPECT", "INT_001", 0).dump();
  const auto head = "POST " + std::string{single_path} + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                    "Content-Type: application/json\r\nExpect: 100-continue\r\n" +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  net::write(socket, net::buffer(head));

  // Only the head is sent: the server must ask for the body (well within curl's 1 s wait).
  net::streambuf buffer;
  auto interim = read_head(socket, buffer, std::chrono::milliseconds{500});
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << interim;

  net::write(socket, net::buffer(body));
  auto final_head = read_head(socket, buffer, std::chrono::milliseconds{5000});
  EXPECT_EQ(final_head.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << final_head;
  EXPECT_EQ(stored_snapshots(db.url()), 1);
}

} // namespace
