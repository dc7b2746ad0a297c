// Fault tests on a private PostgreSQL: outage and return, hung database, full queue, SIGTERM.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/server_process.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::tests::batch_path;
using clock_type = std::chrono::steady_clock;
using traffic::tests::env_map;
using traffic::tests::expect_error;
using traffic::tests::http_client;
using traffic::tests::http_response;
using traffic::tests::json;
using traffic::tests::pg_cluster;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_per_intersection;
using traffic::tests::stored_snapshots;
using traffic::tests::summary_path;
using traffic::tests::to_array_text;
using traffic::tests::transport_error;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

/// Returns the Retry-After seconds, or nothing when the header is missing or not a number.
std::optional<long> retry_after(const http_response& r) {
  auto text = r.header("Retry-After");
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stol(text);
}

/// Checks a 503 answer: the error shape with service_unavailable, and a Retry-After of at least
/// one second.
void expect_unavailable(const http_response& r) {
  expect_error(r, 503, "service_unavailable");
  auto seconds = retry_after(r);
  ASSERT_TRUE(seconds.has_value()) << "Retry-After: '" << r.header("Retry-After") << "'";
  EXPECT_GE(*seconds, 1);
}

/// Each test owns a private PostgreSQL cluster and starts its server on it.
class DatabaseFault : public testing::Test {
 protected:
  void start_server(env_map overrides = {}) {
    overrides.emplace("DB_CONNECT_TIMEOUT_S", "1");
    server_ = std::make_unique<server_process>(cluster_.url(), std::move(overrides));
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
  }

  pg_cluster cluster_;
  std::unique_ptr<server_process> server_;
};

using ServerShutdown = DatabaseFault;
using SlowDatabase = DatabaseFault;
using WriterBackpressure = DatabaseFault;

TEST_F(DatabaseFault, AnswersUnavailableQuicklyWhileDatabaseIsDown) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  http_client client{server_->port()};
  auto first = client.post(single_path, simple_snapshot("SIM_DOWN", "INT_001", 0).dump());
  ASSERT_EQ(first.status, 201u) << first.body;

  cluster_.stop();
  auto stopped = clock_type::now();

  auto start = clock_type::now();
  auto single = client.post(single_path, simple_snapshot("SIM_DOWN", "INT_001", 1).dump());
  auto single_ms = ms_since(start);
  expect_unavailable(single);
  EXPECT_LT(single_ms, 1000.0) << "the first ingest after the outage took " << single_ms << " ms";

  start = clock_type::now();
  auto batch = client.post(batch_path, to_array_text({simple_snapshot("SIM_DOWN", "INT_001", 2),
                                                      simple_snapshot("SIM_DOWN", "INT_002", 2)}));
  auto batch_ms = ms_since(start);
  expect_unavailable(batch);
  EXPECT_LT(batch_ms, 1000.0) << "a batch ingest during the outage took " << batch_ms << " ms";

  // /health may learn of the outage from a periodic check: give it 2 s.
  http_response health;
  do {
    health = client.get("/health");
    if (health.status == 503u)
      break;
    std::this_thread::sleep_for(50ms);
  } while (ms_since(stopped) < 2000.0);
  EXPECT_EQ(health.status, 503u) << "after " << ms_since(stopped) << " ms: " << health.body;
  auto health_body = json::parse(health.body, nullptr, false);
  EXPECT_EQ(health_body.value("status", ""), "degraded") << health.body;
  EXPECT_EQ(health_body.value("database", ""), "down") << health.body;

  auto info = client.get("/system/info");
  EXPECT_EQ(info.status, 200u) << info.body;
  auto info_body = json::parse(info.body, nullptr, false);
  EXPECT_EQ(info_body["database"].value("state", ""), "down") << info.body;

  auto summary = client.get(summary_path("SIM_DOWN"));
  expect_unavailable(summary);
  EXPECT_TRUE(server_->running()) << "the server died with its database";

  // Nothing answered 503 may be written later, once the database is back.
  cluster_.start();
  std::this_thread::sleep_for(1500ms);
  auto rows = stored_per_intersection(cluster_.url(), "SIM_DOWN");
  EXPECT_EQ(rows, (std::map<std::string, std::int64_t>{{"INT_001", 1}}));
}

TEST_F(DatabaseFault, RecoversWhenDatabaseReturnsWithoutRestart) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  const auto pid = server_->pid();
  http_client client{server_->port()};
  auto first = client.post(single_path, simple_snapshot("SIM_BACK", "INT_001", 0).dump());
  ASSERT_EQ(first.status, 201u) << first.body;

  cluster_.stop();
  const auto retried = simple_snapshot("SIM_BACK", "INT_001", 1).dump();
  expect_unavailable(client.post(single_path, retried));

  cluster_.start();
  auto started = clock_type::now();
  http_response r;
  do {
    r = client.post(single_path, retried);
    if (r.status != 503u)
      break;
    std::this_thread::sleep_for(100ms);
  } while (ms_since(started) < 5000.0);
  // 201, not 200: the 503 answers before must have stored nothing.
  EXPECT_EQ(r.status, 201u) << "after " << ms_since(started) << " ms: " << r.body;

  http_response health;
  do {
    health = client.get("/health");
    if (health.status == 200u)
      break;
    std::this_thread::sleep_for(100ms);
  } while (ms_since(started) < 5000.0);
  EXPECT_EQ(health.status, 200u) << health.body;
  EXPECT_EQ(json::parse(health.body, nullptr, false).value("database", ""), "up") << health.body;

  EXPECT_EQ(server_->pid(), pid);
  EXPECT_TRUE(server_->running());
  EXPECT_EQ(stored_snapshots(cluster_.url(), "SIM_BACK"), 2);
}

TEST_F(ServerShutdown, SigtermUnderLoadLosesNoAcknowledgedSnapshot) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  constexpr int clients = 16;
  constexpr int batch_size = 5;
  const std::string sim = "SIM_SIGTERM";
  // One request of the load: when it went out and came back (ms since the load began), its
  // snapshot keys and what came of it.
  struct attempt {
    double sent = 0;
    double done = 0;
    std::vector<std::string> keys;
    unsigned status = 0;    ///< 0 when no answer came
    std::string body;       ///< or the transport error
    bool timed_out = false; ///< the server held the request without answering
  };
  const auto load_start = clock_type::now();
  std::atomic<bool> stop{false};
  std::atomic<int> acked_total{0};
  std::vector<std::vector<attempt>> attempts(clients);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      http_client client{server_->port()};
      auto& mine = attempts[static_cast<std::size_t>(c)];
      // Every snapshot has its own intersection id "L<client>_<seq>", so the stored rows show
      // exactly which ones made it. Every third request is a batch.
      for (int seq = 0; !stop.load();) {
        attempt a;
        int n = seq % 3 == 0 ? batch_size : 1;
        std::vector<json> items;
        for (int j = 0; j < n; ++j) {
          a.keys.push_back("L" + std::to_string(c) + "_" + std::to_string(seq + j));
          items.push_back(simple_snapshot(sim, a.keys.back(), 0));
        }
        seq += n;
        a.sent = ms_since(load_start);
        try {
          auto r = n == 1 ? client.post(single_path, items.front().dump())
                          : client.post(batch_path, to_array_text(items));
          a.status = r.status;
          a.body = r.body;
          if (r.status == 201u)
            acked_total += n;
        } catch (const transport_error& e) {
          // The server is going away: no answer, no acknowledgement.
          a.body = e.what();
          a.timed_out = e.timed_out();
        }
        a.done = ms_since(load_start);
        bool failed = a.status == 0;
        mine.push_back(std::move(a));
        if (failed)
          std::this_thread::sleep_for(5ms);
      }
    });

  while (acked_total.load() < 400 && ms_since(load_start) < 10000.0)
    std::this_thread::sleep_for(5ms);
  const double sigterm_at = ms_since(load_start);
  server_->terminate();
  auto code = server_->wait_exit(30s);
  const double exit_ms = ms_since(load_start) - sigterm_at;
  stop = true;
  for (auto& t : threads)
    t.join();

  ASSERT_TRUE(code.has_value()) << "no exit within 30 s of SIGTERM";
  EXPECT_EQ(*code, 0);
  // Shutting down means finishing requests of a few milliseconds each and one last commit.
  EXPECT_LT(exit_ms, 5000.0) << "the server took " << exit_ms << " ms to exit after SIGTERM";

  auto rows = stored_per_intersection(cluster_.url(), sim);
  int acked = 0;
  int acked_before = 0;
  int missing = 0;
  int unanswered_but_stored = 0;
  int timed_out = 0;
  std::string missing_keys;
  for (int c = 0; c < clients; ++c)
    for (const auto& a : attempts[static_cast<std::size_t>(c)]) {
      SCOPED_TRACE("client " + std::to_string(c) + " sent " + a.keys.front() + " at " +
                   std::to_string(a.sent) + " ms, SIGTERM at " + std::to_string(sigterm_at) +
                   " ms");
      if (a.status == 201u) {
        auto body = json::parse(a.body, nullptr, false);
        EXPECT_TRUE(body.is_object() && body.value("stored", -1) == static_cast<int>(a.keys.size()))
            << a.body;
        acked += static_cast<int>(a.keys.size());
        acked_before += a.done < sigterm_at ? static_cast<int>(a.keys.size()) : 0;
        for (const auto& key : a.keys)
          if (rows.count(key) == 0 && ++missing <= 20)
            missing_keys += " " + key;
      } else if (a.status == 0) {
        // After SIGTERM a new connection may be refused, or an idle one closed. But a request
        // the server took on (it stored the snapshot) is in flight and must be answered, and no
        // request may hang until the client gives up.
        if (a.timed_out && ++timed_out <= 5)
          ADD_FAILURE() << "no answer within the client's timeout: " << a.body;
        if (rows.count(a.keys.front()) > 0 && ++unanswered_but_stored <= 5)
          ADD_FAILURE() << "stored, but the request got no answer: " << a.body;
      } else {
        EXPECT_EQ(a.status, 503u) << a.body;
      }
    }
  EXPECT_GT(acked_before, 0) << "no load before SIGTERM";
  EXPECT_EQ(missing, 0) << missing << " of " << acked
                        << " acknowledged snapshots are not stored:" << missing_keys;
  EXPECT_EQ(unanswered_but_stored, 0) << "requests in flight at SIGTERM were stored unanswered";
  EXPECT_EQ(timed_out, 0) << "requests hung until the client timed out";
  std::cout << "[          ] acknowledged " << acked << " (" << acked_before
            << " before SIGTERM), stored " << rows.size() << ", stored unanswered "
            << unanswered_but_stored << ", hung " << timed_out << ", exit " << exit_ms
            << " ms after SIGTERM\n";
}

TEST_F(WriterBackpressure, FullQueueAnswersUnavailableAndStoresNothingOfIt) {
  // One writer taking one snapshot at a time, and room for four more behind it.
  ASSERT_NO_FATAL_FAILURE(start_server({{"WRITER_POOL_SIZE", "1"},
                                        {"WRITER_BATCH_ROWS", "1"},
                                        {"WRITER_BATCH_DELAY_MS", "0"},
                                        {"WRITER_QUEUE_ROWS", "4"},
                                        {"DB_STATEMENT_TIMEOUT_MS", "30000"},
                                        {"REQUEST_TIMEOUT_MS", "30000"}}));
  const std::string sim = "SIM_QUEUE";
  {
    http_client client{server_->port()};
    auto warm = client.post(single_path, simple_snapshot(sim, "WARM", 0).dump());
    ASSERT_EQ(warm.status, 201u) << warm.body;
  }

  // Hold the table so the writer blocks inside its transaction and the queue fills up.
  pqxx::connection locker{cluster_.url()};
  auto lock = std::make_unique<pqxx::work>(locker);
  lock->exec("LOCK TABLE performance_metrics IN ACCESS EXCLUSIVE MODE");

  constexpr int clients = 20;
  struct outcome {
    http_response response;
    double ms = 0;
    std::string error;
  };
  std::vector<outcome> outcomes(clients);
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      auto& out = outcomes[static_cast<std::size_t>(c)];
      http_client client{server_->port(), 40s};
      auto start = clock_type::now();
      try {
        out.response =
            client.post(single_path, simple_snapshot(sim, "Q" + std::to_string(c), 0).dump());
      } catch (const std::exception& e) {
        out.error = e.what();
      }
      out.ms = ms_since(start);
      ++finished;
    });

  // The requests beyond the queue's room answer at once; the rest wait for the lock.
  auto wait_start = clock_type::now();
  while (finished.load() < clients - 5 && ms_since(wait_start) < 5000.0)
    std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(200ms);
  {
    http_client client{server_->port()};
    auto info = client.get("/system/info");
    auto body = json::parse(info.body, nullptr, false);
    EXPECT_EQ(info.status, 200u) << info.body;
    EXPECT_GE(body["writer_queue"].value("depth", -1), 1) << info.body;
    EXPECT_LE(body["writer_queue"].value("depth", 100), 4) << info.body;
    EXPECT_EQ(body["writer_queue"].value("capacity", -1), 4) << info.body;
  }
  lock->abort();
  lock.reset();
  for (auto& t : threads)
    t.join();

  int unavailable = 0;
  std::vector<std::string> accepted{"WARM"};
  std::vector<std::string> refused;
  for (int c = 0; c < clients; ++c) {
    const auto& out = outcomes[static_cast<std::size_t>(c)];
    SCOPED_TRACE("client " + std::to_string(c));
    ASSERT_TRUE(out.error.empty()) << out.error;
    if (out.response.status == 503u) {
      ++unavailable;
      expect_unavailable(out.response);
      EXPECT_LT(out.ms, 1000.0) << "a 503 for a full queue should be quick";
      refused.push_back("Q" + std::to_string(c));
    } else {
      EXPECT_EQ(out.response.status, 201u) << out.response.body;
      accepted.push_back("Q" + std::to_string(c));
    }
  }
  EXPECT_GE(unavailable, 1) << "a queue of 4 took all " << clients << " requests";

  // A refused snapshot must not turn up later either.
  std::this_thread::sleep_for(500ms);
  auto rows = stored_per_intersection(cluster_.url(), sim);
  for (const auto& key : accepted)
    EXPECT_EQ(rows.count(key), 1u) << key << " was acknowledged but is not stored";
  for (const auto& key : refused)
    EXPECT_EQ(rows.count(key), 0u) << key << " was refused with 503 but is stored";
}

TEST_F(SlowDatabase, AnswersWithinRequestTimeoutWhileTheDatabaseHangs) {
  ASSERT_NO_FATAL_FAILURE(
      start_server({{"REQUEST_TIMEOUT_MS", "500"}, {"DB_STATEMENT_TIMEOUT_MS", "30000"}}));
  const std::string sim = "SIM_SLOW";
  http_client client{server_->port()};
  auto warm = client.post(single_path, simple_snapshot(sim, "WARM", 0).dump());
  ASSERT_EQ(warm.status, 201u) << warm.body;

  // A lock that blocks writes and reads of the tables (the summary reads the minute rollups):
  // the database hangs rather than fails.
  pqxx::connection locker{cluster_.url()};
  auto lock = std::make_unique<pqxx::work>(locker);
  lock->exec("LOCK TABLE performance_metrics, snapshot_minutes IN ACCESS EXCLUSIVE MODE");

  // Either answer is fair for a database that does not answer: 504 (we gave up waiting) or
  // 503 with Retry-After (we count the database as down). Hanging on is not.
  auto expect_gave_up = [](const http_response& r, double ms, const char* what) {
    SCOPED_TRACE(what);
    if (r.status == 503u)
      expect_unavailable(r);
    else
      expect_error(r, 504, "timeout");
    EXPECT_LT(ms, 2000.0) << "REQUEST_TIMEOUT_MS=500, the answer took " << ms << " ms";
  };
  const auto snapshot = simple_snapshot(sim, "HUNG", 0).dump();
  auto start = clock_type::now();
  auto ingest = client.post(single_path, snapshot);
  expect_gave_up(ingest, ms_since(start), "ingest");
  start = clock_type::now();
  auto summary = client.get(summary_path(sim));
  expect_gave_up(summary, ms_since(start), "summary");
  EXPECT_TRUE(server_->running());

  lock->abort();
  lock.reset();
  // The outcome of the hung write is unknown to the client, so it sends the snapshot again
  // until it gets a 2xx; the snapshot must then be stored exactly once.
  auto released = clock_type::now();
  http_response retry;
  do {
    retry = client.post(single_path, snapshot);
    if (retry.status == 200u || retry.status == 201u)
      break;
    std::this_thread::sleep_for(100ms);
  } while (ms_since(released) < 5000.0);
  EXPECT_TRUE(retry.status == 200u || retry.status == 201u)
      << "5 s after the database recovered: " << retry.status << " " << retry.body;
  EXPECT_EQ(stored_per_intersection(cluster_.url(), sim),
            (std::map<std::string, std::int64_t>{{"HUNG", 1}, {"WARM", 1}}));
}

} // namespace
