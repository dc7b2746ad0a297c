// End-to-end tests of ingest from many concurrent clients: nothing lost, nothing stored twice.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using traffic::tests::batch_path;
using traffic::tests::http_client;
using traffic::tests::json;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_per_intersection;
using traffic::tests::stored_snapshots;
using traffic::tests::summary_path;
using traffic::tests::test_database;
using traffic::tests::to_array_text;

/// Lets every client thread start its requests at the same moment.
class start_gate {
 public:
  explicit start_gate(int parties) : waiting_(parties) {}

  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock{mutex_};
    if (--waiting_ == 0)
      cv_.notify_all();
    else
      cv_.wait(lock, [this] { return waiting_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int waiting_;
};

/// Returns true when `body` is {"stored":stored,"duplicates":duplicates}.
bool is_ack(const std::string& body, std::int64_t stored, std::int64_t duplicates) {
  auto parsed = json::parse(body, nullptr, false);
  return parsed.is_object() && parsed.value("stored", std::int64_t{-1}) == stored &&
         parsed.value("duplicates", std::int64_t{-1}) == duplicates;
}

/// What one client saw: the status and body of each answer, or the transport error.
struct client_log {
  std::vector<unsigned> statuses;
  std::vector<std::string> bodies;
  std::vector<std::string> errors;
};

class IngestConcurrency : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
  }

  /// Runs `clients` threads; thread c calls work(c, client, log) once all are ready.
  template <class Work>
  std::vector<client_log> run_clients(int clients, Work work) {
    std::vector<client_log> logs(static_cast<std::size_t>(clients));
    start_gate gate{clients};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        http_client client{server_->port(), std::chrono::seconds{30}};
        auto& log = logs[static_cast<std::size_t>(c)];
        gate.arrive_and_wait();
        try {
          work(c, client, log);
        } catch (const std::exception& e) {
          log.errors.push_back(e.what());
        }
      });
    for (auto& t : threads)
      t.join();
    return logs;
  }

  json system_info() {
    http_client client{server_->port()};
    auto r = client.get("/system/info");
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.json();
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
};

TEST_F(IngestConcurrency, StoresEverySnapshotFromTwoHundredClients) {
  constexpr int clients = 200;
  constexpr int per_client = 5;
  auto logs = run_clients(clients, [](int c, http_client& client, client_log& log) {
    for (int k = 0; k < per_client; ++k) {
      auto r =
          client.post(single_path, simple_snapshot("SIM_CONC", "C" + std::to_string(c), k).dump(),
                      "application/json");
      log.statuses.push_back(r.status);
      log.bodies.push_back(r.body);
    }
  });
  int acked = 0;
  for (int c = 0; c < clients; ++c) {
    const auto& log = logs[static_cast<std::size_t>(c)];
    EXPECT_TRUE(log.errors.empty()) << "client " << c << ": " << log.errors.front();
    for (std::size_t k = 0; k < log.statuses.size(); ++k) {
      EXPECT_EQ(log.statuses[k], 201u)
          << "client " << c << " request " << k << ": " << log.bodies[k];
      acked += log.statuses[k] == 201u ? 1 : 0;
    }
  }
  EXPECT_EQ(acked, clients * per_client);

  auto rows = stored_per_intersection(db_.url(), "SIM_CONC");
  EXPECT_EQ(rows.size(), static_cast<std::size_t>(clients));
  for (int c = 0; c < clients; ++c)
    EXPECT_EQ(rows["C" + std::to_string(c)], per_client) << "client " << c;
  EXPECT_EQ(stored_snapshots(db_.url()), clients * per_client);

  auto info = system_info();
  EXPECT_EQ(info["writes"].value("snapshots_stored", -1), clients * per_client) << info.dump();
  EXPECT_EQ(info["writes"].value("duplicates", -1), 0) << info.dump();

  http_client client{server_->port()};
  auto summary = client.get(summary_path("SIM_CONC"));
  ASSERT_EQ(summary.status, 200u) << summary.body;
  EXPECT_EQ(summary.json().value("snapshots", -1), clients * per_client);
  EXPECT_EQ(summary.json().value("intersections", -1), clients);
}

TEST_F(IngestConcurrency, StoresEveryBatchFromManyClients) {
  constexpr int clients = 50;
  constexpr int batches = 4;
  constexpr int batch_size = 10;
  auto logs = run_clients(clients, [](int c, http_client& client, client_log& log) {
    for (int b = 0; b < batches; ++b) {
      std::vector<json> items;
      for (int k = 0; k < batch_size; ++k)
        items.push_back(
            simple_snapshot("SIM_BATCHES", "B" + std::to_string(c), b * batch_size + k));
      auto r = client.post(batch_path, to_array_text(items), "application/json");
      log.statuses.push_back(r.status);
      log.bodies.push_back(r.body);
    }
  });
  for (int c = 0; c < clients; ++c) {
    const auto& log = logs[static_cast<std::size_t>(c)];
    EXPECT_TRUE(log.errors.empty()) << "client " << c << ": " << log.errors.front();
    for (std::size_t k = 0; k < log.statuses.size(); ++k) {
      EXPECT_EQ(log.statuses[k], 201u) << log.bodies[k];
      EXPECT_TRUE(is_ack(log.bodies[k], batch_size, 0)) << log.bodies[k];
    }
  }
  auto rows = stored_per_intersection(db_.url(), "SIM_BATCHES");
  EXPECT_EQ(rows.size(), static_cast<std::size_t>(clients));
  for (const auto& [intersection, count] : rows)
    EXPECT_EQ(count, batches * batch_size) << intersection;
  EXPECT_EQ(system_info()["writes"].value("snapshots_stored", -1), clients * batches * batch_size);
}

TEST_F(IngestConcurrency, StoresRacingIdenticalSnapshotsOnce) {
  constexpr int clients = 50;
  const auto body = simple_snapshot("SIM_RACE", "INT_001", 0).dump();
  auto logs = run_clients(clients, [&body](int, http_client& client, client_log& log) {
    auto r = client.post(single_path, body, "application/json");
    log.statuses.push_back(r.status);
    log.bodies.push_back(r.body);
  });
  int stored = 0;
  int duplicates = 0;
  for (const auto& log : logs) {
    EXPECT_TRUE(log.errors.empty()) << log.errors.front();
    for (std::size_t k = 0; k < log.statuses.size(); ++k) {
      if (log.statuses[k] == 201u && is_ack(log.bodies[k], 1, 0))
        ++stored;
      else if (log.statuses[k] == 200u && is_ack(log.bodies[k], 0, 1))
        ++duplicates;
      else
        ADD_FAILURE() << "unexpected answer " << log.statuses[k] << " " << log.bodies[k];
    }
  }
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(duplicates, clients - 1);
  EXPECT_EQ(stored_snapshots(db_.url()), 1);
  auto info = system_info();
  EXPECT_EQ(info["writes"].value("snapshots_stored", -1), 1) << info.dump();
  EXPECT_EQ(info["writes"].value("duplicates", -1), clients - 1) << info.dump();
}

} // namespace
