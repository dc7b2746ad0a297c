// End-to-end tests of GET /api/v1/dashboard/stream: Server-Sent Events of the live view, a
// committed snapshot within a push interval, many clients, clients that go away, auth.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::tests::env_map;
using traffic::tests::expect_ack;
using traffic::tests::http_client;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::test_database;
using json = nlohmann::json;
namespace net = boost::asio;
using tcp = net::ip::tcp;

const std::string stream_path = "/api/v1/dashboard/stream";

/// One open stream, read with a deadline so a silent server fails the test instead of hanging.
class stream_reader {
 public:
  stream_reader(std::uint16_t port, const std::string& extra_headers = "") : socket_{io_} {
    socket_.connect({net::ip::make_address("127.0.0.1"), port});
    net::write(socket_,
               net::buffer("GET " + stream_path +
                           " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n" +
                           extra_headers + "\r\n"));
  }

  /// Reads until `text` has arrived in total or `within` passes; returns what was read.
  const std::string& read_until(const std::string& text, std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    while (received_.find(text) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      char chunk[4096];
      socket_.non_blocking(true);
      boost::system::error_code ec;
      auto n = socket_.read_some(net::buffer(chunk), ec);
      if (ec == net::error::would_block) {
        std::this_thread::sleep_for(20ms);
        continue;
      }
      if (ec)
        break;
      received_.append(chunk, n);
    }
    return received_;
  }

  /// Returns the data of every "event: live" received so far, parsed.
  std::vector<json> live_events() const {
    std::vector<json> events;
    std::size_t at = 0;
    const std::string marker = "event: live\ndata: ";
    while ((at = received_.find(marker, at)) != std::string::npos) {
      at += marker.size();
      auto end = received_.find("\n\n", at);
      if (end == std::string::npos)
        break;
      events.push_back(json::parse(received_.substr(at, end - at)));
    }
    return events;
  }

  const std::string& received() const { return received_; }
  void close() { socket_.close(); }

 private:
  net::io_context io_;
  tcp::socket socket_;
  std::string received_;
};

class EventStream : public testing::Test {
 protected:
  virtual env_map server_env() const { return {}; }

  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url(), server_env());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

TEST_F(EventStream, SendsTheLiveViewAtOnceThenEverySecond) {
  stream_reader stream{server_->port()};
  const auto& head = stream.read_until("event: live", 2s);
  ASSERT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos);
  EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\n\r\nretry: 2000\n\n"), std::string::npos);
  auto started = std::chrono::steady_clock::now();
  while (stream.live_events().size() < 3 && std::chrono::steady_clock::now() - started < 4s)
    stream.read_until("\n\nevent: live\ndata: {\"this never comes", 200ms);
  auto events = stream.live_events();
  ASSERT_GE(events.size(), 3u) << stream.received();
  EXPECT_EQ(events[0]["active_simulations"], 0);
  EXPECT_EQ(events[0]["simulations"], json::array());
  // The same document as GET live-metrics.
  auto polled = client_->get("/api/v1/dashboard/live-metrics").json();
  for (const auto& [key, value] : polled.items())
    EXPECT_TRUE(events.back().contains(key)) << key;
}

TEST_F(EventStream, ShowsACommittedSnapshotWithinOnePush) {
  stream_reader stream{server_->port()};
  stream.read_until("event: live", 2s);
  auto posted = std::chrono::steady_clock::now();
  expect_ack(client_->post(single_path, simple_snapshot("SIM_STREAM", "INT_1", 0, 21.5).dump()),
             201, 1, 0);
  stream.read_until("SIM_STREAM", 3s);
  auto waited = std::chrono::steady_clock::now() - posted;
  auto events = stream.live_events();
  ASSERT_FALSE(events.empty());
  const auto& last = events.back();
  ASSERT_EQ(last["simulations"].size(), 1u) << stream.received();
  EXPECT_EQ(last["simulations"][0]["simulation_id"], "SIM_STREAM");
  EXPECT_EQ(last["simulations"][0]["snapshots_committed"], 1);
  EXPECT_EQ(last["simulations"][0]["rolling"]["mean_wait_time"], 21.5);
  EXPECT_LT(waited, 1500ms);
}

TEST_F(EventStream, ServesManyStreamsAndForgetsClosedOnes) {
  std::vector<std::unique_ptr<stream_reader>> streams;
  for (int i = 0; i < 20; ++i)
    streams.push_back(std::make_unique<stream_reader>(server_->port()));
  for (auto& s : streams)
    EXPECT_NE(s->read_until("event: live", 3s).find("event: live"), std::string::npos);
  for (auto& s : streams)
    s->close();
  // The server notices the closed streams and goes on serving others.
  std::this_thread::sleep_for(1500ms);
  stream_reader fresh{server_->port()};
  EXPECT_NE(fresh.read_until("event: live", 2s).find("event: live"), std::string::npos);
  EXPECT_EQ(client_->get("/health").status, 200u);
}

TEST_F(EventStream, DoesNotHoldUpShutdown) {
  stream_reader stream{server_->port()};
  stream.read_until("event: live", 2s);
  auto stopping = std::chrono::steady_clock::now();
  auto code = server_->stop(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 5s);
}

TEST_F(EventStream, RefusesQueryParameters) {
  auto r = client_->get(stream_path + "?interval=5");
  traffic::tests::expect_error(r, 400, "bad_request");
}

class AuthenticatedEventStream : public EventStream {
 protected:
  env_map server_env() const override {
    return {{"API_KEYS", "dash:read:dash-key-0123456789abc"}, {"AUTH_REQUIRED", "true"}};
  }
};

TEST_F(AuthenticatedEventStream, NeedsAReadKey) {
  stream_reader anonymous{server_->port()};
  EXPECT_EQ(anonymous.read_until("\r\n\r\n", 2s).rfind("HTTP/1.1 401", 0), 0u);
  stream_reader keyed{server_->port(), "Authorization: Bearer dash-key-0123456789abc\r\n"};
  EXPECT_NE(keyed.read_until("event: live", 2s).find("event: live"), std::string::npos);
}

} // namespace
