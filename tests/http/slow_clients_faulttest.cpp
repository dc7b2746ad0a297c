// Slow and many clients: slow-drip headers and bodies, idle keep-alive connections and the
// connection limit must not keep the server from serving normal clients.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/load_figures.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::tests::ms_between;
using traffic::tests::percentile;
using clock_type = std::chrono::steady_clock;
using traffic::tests::env_map;
using traffic::tests::expect_error;
using traffic::tests::http_client;
using traffic::tests::http_once;
using traffic::tests::http_response;
using traffic::tests::json;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::test_database;
using traffic::tests::transport_error;

/// A raw TCP connection to the server, for clients no HTTP library would imitate: it writes
/// what it is told, when it is told, and notices when the server closes.
class raw_connection {
 public:
  explicit raw_connection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      throw std::runtime_error(std::string{"socket: "} + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      int err = errno;
      ::close(fd_);
      fd_ = -1;
      throw std::runtime_error(std::string{"connect: "} + std::strerror(err));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    opened_ = clock_type::now();
  }
  ~raw_connection() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  /// Sends `text`; returns false when the server has closed the connection.
  bool send(const std::string& text) {
    if (closed())
      return false;
    auto n = ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      mark_closed();
      return false;
    }
    return true;
  }

  /// Reads what has arrived, waiting at most `wait`; notes the time the server closed.
  void poll_input(std::chrono::milliseconds wait = 0ms) {
    if (closed())
      return;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0)
      return;
    char chunk[4096];
    auto n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0)
      received_.append(chunk, static_cast<std::size_t>(n));
    else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
      mark_closed();
  }

  /// Reads until the server closes or `limit` passes; returns whether it closed.
  bool wait_closed(std::chrono::milliseconds limit) {
    auto deadline = clock_type::now() + limit;
    while (!closed() && clock_type::now() < deadline)
      poll_input(20ms);
    return closed();
  }

  bool closed() const { return closed_at_ != clock_type::time_point{}; }
  /// Milliseconds from connecting to the server's close.
  double closed_after_ms() const { return ms_between(opened_, closed_at_); }
  clock_type::time_point closed_at() const { return closed_at_; }
  const std::string& received() const { return received_; }
  void clear_received() { received_.clear(); }
  int fd() const { return fd_; }

 private:
  void mark_closed() { closed_at_ = clock_type::now(); }

  int fd_ = -1;
  clock_type::time_point opened_;
  clock_type::time_point closed_at_{};
  std::string received_;
};

/// A server on a fresh database with the given HTTP limits.
class SlowClients : public testing::Test {
 protected:
  void start_server(env_map settings) {
    server_ = std::make_unique<server_process>(db_.url(), std::move(settings));
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
};

TEST_F(SlowClients, DripFedHeadersDoNotStopNormalClientsAndAreCutAtTheHeaderTimeout) {
  constexpr int drips = 1000;
  constexpr double header_timeout_ms = 4000;
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < drips + 200)
    GTEST_SKIP() << "needs " << drips + 200 << " open files, ulimit -n is " << files.rlim_cur;
  ASSERT_NO_FATAL_FAILURE(start_server({{"HTTP_HEADER_TIMEOUT_MS", "4000"}}));

  // Normal clients, on keep-alive connections, for as long as the drips last.
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(4);
  std::vector<std::string> failures(latencies.size());
  std::vector<std::thread> normal;
  for (std::size_t c = 0; c < latencies.size(); ++c)
    normal.emplace_back([&, c] {
      http_client client{server_->port(), 3s};
      for (int seq = 0; !stop.load(); ++seq) {
        auto start = clock_type::now();
        try {
          auto r =
              c % 2 == 0
                  ? client.get("/health")
                  : client.post(single_path,
                                simple_snapshot("SIM_DRIP", "N" + std::to_string(c), seq).dump());
          if (r.status != 200u && r.status != 201u && failures[c].empty())
            failures[c] = std::to_string(r.status) + " " + r.body;
        } catch (const transport_error& e) {
          if (failures[c].empty())
            failures[c] = e.what();
        }
        latencies[c].push_back(ms_between(start, clock_type::now()));
        std::this_thread::sleep_for(5ms);
      }
    });

  // Each drip connection starts a request and then sends one header byte a second.
  std::vector<std::unique_ptr<raw_connection>> conns;
  for (int i = 0; i < drips; ++i) {
    conns.push_back(std::make_unique<raw_connection>(server_->port()));
    conns.back()->send("GET /health HTTP/1.1\r\nHost: x\r\nX-Drip: ");
  }
  auto opened = clock_type::now();
  auto next_drip = opened + 1s;
  int open_count = drips;
  while (open_count > 0 && ms_between(opened, clock_type::now()) < header_timeout_ms + 6000) {
    std::vector<pollfd> fds;
    for (auto& c : conns)
      if (!c->closed())
        fds.push_back({c->fd(), POLLIN, 0});
    ::poll(fds.data(), fds.size(), 50);
    for (auto& c : conns)
      c->poll_input();
    if (clock_type::now() >= next_drip) {
      for (auto& c : conns)
        c->send("a");
      next_drip += 1s;
    }
    open_count = static_cast<int>(
        std::count_if(conns.begin(), conns.end(), [](const auto& c) { return !c->closed(); }));
  }
  stop = true;
  for (auto& t : normal)
    t.join();

  std::vector<double> closed_after;
  for (const auto& c : conns)
    if (c->closed())
      closed_after.push_back(c->closed_after_ms());
  std::vector<double> all;
  for (const auto& l : latencies)
    all.insert(all.end(), l.begin(), l.end());
  double first_close = closed_after.empty() ? 0 : percentile(closed_after, 0);
  double last_close = closed_after.empty() ? 0 : percentile(closed_after, 1);
  double p99 = percentile(all, 0.99);
  std::cout << "[          ] SLOW-FIGURES drips=" << drips << " closed=" << closed_after.size()
            << " first_close_ms=" << std::lround(first_close)
            << " last_close_ms=" << std::lround(last_close) << " normal_requests=" << all.size()
            << " normal_p50_ms=" << percentile(all, 0.5) << " normal_p99_ms=" << p99
            << " normal_max_ms=" << percentile(all, 1) << std::endl;
  RecordProperty("drips_closed", static_cast<int>(closed_after.size()));
  RecordProperty("normal_p99_us", static_cast<int>(p99 * 1000));

  for (std::size_t c = 0; c < failures.size(); ++c)
    EXPECT_TRUE(failures[c].empty()) << "normal client " << c << ": " << failures[c];
  EXPECT_GT(all.size(), 100u) << "the normal clients were hardly served";
  EXPECT_LT(p99, 250.0) << "normal requests' p99 while " << drips << " connections drip";
  EXPECT_EQ(closed_after.size(), static_cast<std::size_t>(drips))
      << "drip connections still open " << header_timeout_ms + 6000 << " ms after they began";
  EXPECT_GE(first_close, header_timeout_ms - 100) << "closed before the header timeout";
  EXPECT_LE(last_close, header_timeout_ms + 2000) << "closed long after the header timeout";
}

TEST_F(SlowClients, IdleKeepAliveConnectionsAreClosedAfterTheIdleTimeout) {
  ASSERT_NO_FATAL_FAILURE(
      start_server({{"HTTP_IDLE_TIMEOUT_MS", "1000"}, {"HTTP_HEADER_TIMEOUT_MS", "10000"}}));
  const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  raw_connection conn{server_->port()};
  // Waits for one whole answer (headers and Content-Length bytes of body); true for a 200.
  auto answered = [&] {
    auto deadline = clock_type::now() + 2s;
    for (;;) {
      const auto& text = conn.received();
      auto end = text.find("\r\n\r\n");
      auto length_at = text.find("Content-Length: ");
      if (end != std::string::npos && length_at != std::string::npos && length_at < end &&
          text.size() >= end + 4 + std::stoul(text.substr(length_at + 16)))
        break;
      if (conn.closed() || clock_type::now() > deadline)
        return false;
      conn.poll_input(20ms);
    }
    bool ok = conn.received().rfind("HTTP/1.1 200", 0) == 0;
    conn.clear_received();
    return ok;
  };
  ASSERT_TRUE(conn.send(request));
  ASSERT_TRUE(answered());
  // A request within the idle timeout is served on the same connection.
  std::this_thread::sleep_for(600ms);
  ASSERT_TRUE(conn.send(request));
  ASSERT_TRUE(answered()) << "closed within the idle timeout";
  auto idle_from = clock_type::now();
  ASSERT_TRUE(conn.wait_closed(5s)) << "an idle keep-alive connection stayed open";
  double idle_ms = ms_between(idle_from, conn.closed_at());
  std::cout << "[          ] idle connection closed after " << idle_ms << " ms\n";
  EXPECT_GE(idle_ms, 900.0);
  EXPECT_LE(idle_ms, 2500.0);
}

TEST_F(SlowClients, SlowBodiesAreCutAtTheBodyTimeout) {
  ASSERT_NO_FATAL_FAILURE(
      start_server({{"HTTP_BODY_TIMEOUT_MS", "1500"}, {"HTTP_HEADER_TIMEOUT_MS", "10000"}}));
  raw_connection conn{server_->port()};
  ASSERT_TRUE(conn.send("POST " + single_path +
                        " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1000\r\n\r\n{"));
  auto headers_sent = clock_type::now();
  while (!conn.closed() && ms_between(headers_sent, clock_type::now()) < 6000) {
    conn.send(" ");
    conn.poll_input(200ms);
  }
  ASSERT_TRUE(conn.closed()) << "a body dripping for 6 s was still being read";
  double cut_ms = ms_between(headers_sent, conn.closed_at());
  std::cout << "[          ] slow body cut after " << cut_ms << " ms\n";
  EXPECT_GE(cut_ms, 1400.0);
  EXPECT_LE(cut_ms, 3000.0);
}

TEST_F(SlowClients, ConnectionsBeyondTheLimitAreAnsweredUnavailable) {
  constexpr int limit = 20;
  ASSERT_NO_FATAL_FAILURE(start_server({{"HTTP_MAX_CONNECTIONS", std::to_string(limit)}}));
  std::vector<std::unique_ptr<raw_connection>> held;
  for (int i = 0; i < limit; ++i)
    held.push_back(std::make_unique<raw_connection>(server_->port()));
  // The server counts a connection once it has accepted it: give it a moment for the last.
  std::this_thread::sleep_for(200ms);
  auto start = clock_type::now();
  http_response refused;
  try {
    refused = http_once(server_->port(), "GET", "/health", {}, {}, {}, 3s);
  } catch (const transport_error& e) {
    FAIL() << "a connection beyond the limit got no answer: " << e.what();
  }
  double refused_ms = ms_between(start, clock_type::now());
  expect_error(refused, 503, "service_unavailable");
  EXPECT_EQ(refused.header("Retry-After"), "1");
  EXPECT_EQ(refused.header("Connection"), "close");
  EXPECT_LT(refused_ms, 1000.0);

  // Room again once some close.
  held.resize(limit - 5);
  http_response served;
  auto deadline = clock_type::now() + 3s;
  do {
    std::this_thread::sleep_for(50ms);
    served = http_once(server_->port(), "GET", "/health", {}, {}, {}, 3s);
  } while (served.status != 200u && clock_type::now() < deadline);
  EXPECT_EQ(served.status, 200u) << served.body;
}

TEST_F(SlowClients, EventStreamsOutliveTheIdleAndBodyTimeouts) {
  ASSERT_NO_FATAL_FAILURE(start_server({{"HTTP_IDLE_TIMEOUT_MS", "500"},
                                        {"HTTP_HEADER_TIMEOUT_MS", "500"},
                                        {"HTTP_BODY_TIMEOUT_MS", "500"}}));
  raw_connection conn{server_->port()};
  ASSERT_TRUE(conn.send("GET /api/v1/dashboard/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto start = clock_type::now();
  while (!conn.closed() && ms_between(start, clock_type::now()) < 3500)
    conn.poll_input(50ms);
  EXPECT_FALSE(conn.closed()) << "the stream ended after " << conn.closed_after_ms() << " ms";
  std::size_t events = 0;
  for (auto at = conn.received().find("event: live"); at != std::string::npos;
       at = conn.received().find("event: live", at + 1))
    ++events;
  EXPECT_GE(events, 3u) << conn.received();
}

} // namespace
