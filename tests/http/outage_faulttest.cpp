// Crash and outage under load: kill -9 and SIGSTOP of PostgreSQL, kill -9 of the server. Every
// acknowledged snapshot must be stored; during an outage ingest answers 503 within a second.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <dirent.h>
#include <sys/types.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/load_figures.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/server_process.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::tests::env_int;
using traffic::tests::peak_rss_kb;
using traffic::tests::percentile;
using clock_type = std::chrono::steady_clock;
using traffic::tests::batch_path;
using traffic::tests::env_map;
using traffic::tests::http_client;
using traffic::tests::json;
using traffic::tests::pg_cluster;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::to_array_text;
using traffic::tests::transport_error;

/// Clients of the load, seconds of load before a fault and after recovery, faults per test.
int load_clients() {
  return std::max(1, env_int("TRAFFIC_FAULT_CLIENTS", 8));
}
int load_seconds() {
  return std::max(1, env_int("TRAFFIC_FAULT_SECONDS", 2));
}
int fault_rounds() {
  return std::max(1, env_int("TRAFFIC_FAULT_ROUNDS", 1));
}

/// A client gives up on an answer after this long: a request held longer counts as hung.
constexpr auto client_timeout = 3s;

/// One request of the load: when it left and came back (ms since the load began), its keys
/// (client c, seconds seq .. seq + n - 1) and what came of it.
struct attempt {
  double sent = 0;
  double done = 0;
  int client = 0;
  int seq = 0;
  int n = 0;
  unsigned status = 0;    ///< 0: no answer (transport error)
  bool timed_out = false; ///< the client's timeout fired
  std::string error;
};

/// Keep-alive clients posting unique snapshots (simulation `sim`, intersection "C<client>",
/// timestamp fixture_time(seq)) as fast as answers come, every third request a batch of five.
/// After a 503 or a transport error a client pauses 50 ms, as a simulator honouring a short
/// back-off would.
class ingest_load {
 public:
  ingest_load(std::uint16_t port, std::string sim, int clients)
      : port_(port), sim_(std::move(sim)), clients_(clients), start_(clock_type::now()) {}

  ~ingest_load() { stop(); }

  void start() {
    for (int c = 0; c < clients_; ++c)
      threads_.emplace_back([this, c] { run(c); });
  }

  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      t.join();
    threads_.clear();
  }

  double now_ms() const {
    return std::chrono::duration<double, std::milli>(clock_type::now() - start_).count();
  }

  int acked() const { return acked_.load(); }

  /// Waits until `n` more snapshots are acknowledged than now, or `limit` passes.
  bool wait_for_acks(int n, std::chrono::milliseconds limit) const {
    auto target = acked() + n;
    auto deadline = clock_type::now() + limit;
    while (acked() < target) {
      if (clock_type::now() > deadline)
        return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  /// Every attempt so far (call after stop() for the complete list).
  std::vector<attempt> attempts() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return attempts_;
  }

  const std::string& simulation() const { return sim_; }

 private:
  void run(int c) {
    http_client client{port_, client_timeout};
    std::vector<attempt> mine;
    for (int seq = 0; !stop_.load();) {
      attempt a;
      a.client = c;
      a.seq = seq;
      a.n = seq % 3 == 0 ? 5 : 1;
      std::vector<json> items;
      for (int j = 0; j < a.n; ++j)
        items.push_back(simple_snapshot(sim_, "C" + std::to_string(c), seq + j));
      seq += a.n;
      a.sent = now_ms();
      try {
        auto r = a.n == 1 ? client.post(single_path, items.front().dump())
                          : client.post(batch_path, to_array_text(items));
        a.status = r.status;
        if (r.status == 201u || r.status == 200u)
          acked_ += a.n;
        else if (r.status != 503u)
          a.error = r.body;
      } catch (const transport_error& e) {
        a.error = e.what();
        a.timed_out = e.timed_out();
      }
      a.done = now_ms();
      bool back_off = a.status != 201u && a.status != 200u;
      mine.push_back(std::move(a));
      if (back_off)
        std::this_thread::sleep_for(50ms);
    }
    std::lock_guard<std::mutex> lock{mutex_};
    attempts_.insert(attempts_.end(), mine.begin(), mine.end());
  }

  std::uint16_t port_;
  std::string sim_;
  int clients_;
  clock_type::time_point start_;
  std::atomic<bool> stop_{false};
  std::atomic<int> acked_{0};
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::vector<attempt> attempts_;
};

/// Returns the (client, second) keys stored for `sim`.
std::set<std::pair<int, int>> stored_keys(const std::string& url, const std::string& sim) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT substr(intersection_id, 2)::int, EXTRACT(EPOCH FROM \"timestamp\" - "
      "timestamptz '2025-09-10T23:20:00Z')::int FROM performance_metrics WHERE simulation_id = $1",
      sim);
  std::set<std::pair<int, int>> out;
  for (const auto& row : rows)
    out.emplace(row[0].as<int>(), row[1].as<int>());
  return out;
}

/// Returns the postmaster's pid of the cluster at `url` (ask before freezing it: a frozen
/// cluster answers no query).
pid_t postmaster_pid(const std::string& url) {
  std::string data_dir;
  {
    pqxx::connection conn{url};
    pqxx::nontransaction tx{conn};
    data_dir = tx.exec1("SHOW data_directory")[0].as<std::string>();
  }
  pid_t postmaster = 0;
  std::ifstream{data_dir + "/postmaster.pid"} >> postmaster;
  if (postmaster <= 0)
    throw std::runtime_error("no postmaster.pid in " + data_dir);
  return postmaster;
}

/// Returns the pids of `parent`'s children. Each PostgreSQL child runs in a session of its
/// own, so a signal to the postmaster's process group would miss them.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> pids;
  if (DIR* proc = ::opendir("/proc")) {
    while (auto* entry = ::readdir(proc)) {
      pid_t pid = std::atoi(entry->d_name);
      if (pid <= 0)
        continue;
      std::ifstream stat{std::string{"/proc/"} + entry->d_name + "/stat"};
      std::string line;
      std::getline(stat, line);
      // "pid (comm) state ppid ...": comm may hold spaces, so parse after the last ')'.
      auto paren = line.rfind(')');
      if (paren == std::string::npos)
        continue;
      std::istringstream rest{line.substr(paren + 1)};
      char state = 0;
      pid_t ppid = 0;
      rest >> state >> ppid;
      if (ppid == parent)
        pids.push_back(pid);
    }
    ::closedir(proc);
  }
  return pids;
}

/// Sends `signal` to the postmaster and every child it has. The postmaster is stopped first,
/// so it forks no child (a new connection's backend) that the list would miss.
void signal_cluster(pid_t postmaster, int signal) {
  ::kill(postmaster, SIGSTOP);
  for (pid_t child : children_of(postmaster))
    ::kill(child, signal);
  if (signal != SIGSTOP)
    ::kill(postmaster, signal);
}

/// One fault: when it began and when the service (database or server) was back, in the load's
/// milliseconds.
struct fault_window {
  double began = 0;
  double back = 0;
};

/// What a test found, checked and printed the same way for every fault.
struct outage_figures {
  int acked = 0;          ///< snapshots answered 2xx
  int found = 0;          ///< of those, stored
  int stored = 0;         ///< rows of the simulation
  int stored_unacked = 0; ///< stored without a 2xx (a 503 whose write committed late, or reset)
  int outage_answers = 0; ///< answers to requests in flight during an outage
  int outage_503 = 0;
  int outage_other = 0; ///< answers other than 2xx and 503 (must be none)
  int transport_errors = 0;
  int hung = 0; ///< client timeouts, in the whole run
  double outage_max_ms = 0;
  double outage_p99_ms = 0;
  double recovery_max_ms = 0; ///< worst time to the first 2xx after a fault ended
  long peak_rss_kb = 0;
};

/// Works out the figures of a finished load against the stored rows; `windows` are the faults.
outage_figures evaluate(const ingest_load& load, const std::string& url,
                        const std::vector<fault_window>& windows) {
  outage_figures f;
  auto attempts = load.attempts();
  auto rows = stored_keys(url, load.simulation());
  f.stored = static_cast<int>(rows.size());
  std::set<std::pair<int, int>> acked_keys;
  std::vector<double> outage_ms;
  for (const auto& a : attempts) {
    bool ok = a.status == 200u || a.status == 201u;
    if (ok)
      for (int j = 0; j < a.n; ++j)
        acked_keys.emplace(a.client, a.seq + j);
    if (a.status == 0)
      ++f.transport_errors;
    if (a.timed_out)
      ++f.hung;
    for (const auto& w : windows) {
      // In flight at some point of the outage: sent before it ended, answered after it began.
      if (a.sent < w.back && a.done >= w.began) {
        ++f.outage_answers;
        outage_ms.push_back(a.done - a.sent);
        if (a.status == 503u)
          ++f.outage_503;
        else if (a.status != 0 && !ok)
          ++f.outage_other;
        break;
      }
    }
  }
  f.acked = static_cast<int>(acked_keys.size());
  for (const auto& key : acked_keys)
    f.found += rows.count(key) > 0 ? 1 : 0;
  for (const auto& key : rows)
    f.stored_unacked += acked_keys.count(key) == 0 ? 1 : 0;
  if (!outage_ms.empty()) {
    f.outage_max_ms = *std::max_element(outage_ms.begin(), outage_ms.end());
    f.outage_p99_ms = percentile(outage_ms, 0.99);
  }
  for (const auto& w : windows) {
    double first_ok = -1;
    for (const auto& a : attempts)
      if ((a.status == 200u || a.status == 201u) && a.done >= w.back &&
          (first_ok < 0 || a.done < first_ok))
        first_ok = a.done;
    double recovery = first_ok < 0 ? 1e9 : first_ok - w.back;
    f.recovery_max_ms = std::max(f.recovery_max_ms, recovery);
  }
  return f;
}

/// Prints the figures as one line bench/faults reads, and records them as test properties.
void report(const char* fault, const outage_figures& f) {
  std::ostringstream line;
  line << "FAULT-FIGURES fault=" << fault << " rounds=" << fault_rounds()
       << " clients=" << load_clients() << " acked=" << f.acked << " found=" << f.found
       << " stored=" << f.stored << " stored_unacked=" << f.stored_unacked
       << " outage_answers=" << f.outage_answers << " outage_503=" << f.outage_503
       << " outage_other=" << f.outage_other << " outage_max_ms=" << std::lround(f.outage_max_ms)
       << " outage_p99_ms=" << std::lround(f.outage_p99_ms)
       << " recovery_ms=" << std::lround(f.recovery_max_ms)
       << " transport_errors=" << f.transport_errors << " hung=" << f.hung
       << " peak_rss_kb=" << f.peak_rss_kb;
  std::cout << "[          ] " << line.str() << std::endl;
  ::testing::Test::RecordProperty("acked", f.acked);
  ::testing::Test::RecordProperty("found", f.found);
  ::testing::Test::RecordProperty("outage_max_ms", static_cast<int>(std::lround(f.outage_max_ms)));
  ::testing::Test::RecordProperty("outage_p99_ms", static_cast<int>(std::lround(f.outage_p99_ms)));
  ::testing::Test::RecordProperty("recovery_ms", static_cast<int>(std::lround(f.recovery_max_ms)));
  ::testing::Test::RecordProperty("hung", f.hung);
  ::testing::Test::RecordProperty("peak_rss_kb", static_cast<int>(f.peak_rss_kb));
}

/// Each test owns a private cluster and a server on it, loaded by keep-alive clients.
class Outage : public testing::Test {
 protected:
  void start_server() {
    env_map settings{{"DB_CONNECT_TIMEOUT_S", "1"}};
    // TRAFFIC_FAULT_LOG_LEVEL=info shows the write queue's view of the outage in the log.
    if (const char* level = std::getenv("TRAFFIC_FAULT_LOG_LEVEL"))
      settings.emplace("LOG_LEVEL", level);
    server_ = std::make_unique<server_process>(cluster_.url(), settings);
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
  }

  /// The checks every database fault shares: nothing acknowledged is lost, no request hangs,
  /// the outage answers 503 within a second, service returns within 5 s by itself.
  void expect_database_fault_handled(const outage_figures& f) {
    EXPECT_GT(f.acked, 0);
    EXPECT_EQ(f.found, f.acked) << f.acked - f.found << " acknowledged snapshots are not stored";
    EXPECT_EQ(f.hung, 0) << "requests got no answer within " << client_timeout.count() << " s";
    EXPECT_GT(f.outage_503, 0) << "no 503 during the outage";
    EXPECT_EQ(f.outage_other, 0) << "answers other than 2xx and 503 during the outage";
    EXPECT_LT(f.outage_max_ms, 1000.0) << "an answer during the outage took " << f.outage_max_ms
                                       << " ms (p99 " << f.outage_p99_ms << " ms)";
    EXPECT_LT(f.recovery_max_ms, 5000.0)
        << "the first 2xx came " << f.recovery_max_ms << " ms after the database was back";
    EXPECT_EQ(f.transport_errors, 0) << "the server is up: every request deserves an answer";
  }

  /// Under `load`: fault_rounds() times, load_seconds() of load, then `fault` on the postmaster
  /// (it returns once the database is back), each a fault window; then load_seconds() more.
  /// Reports the figures as `name` and checks what every database fault must keep.
  void run_database_faults(ingest_load& load, const char* name,
                           const std::function<void(pid_t postmaster)>& fault) {
    std::vector<fault_window> windows;
    for (int round = 0; round < fault_rounds(); ++round) {
      std::this_thread::sleep_for(std::chrono::seconds{load_seconds()});
      ASSERT_TRUE(load.wait_for_acks(50, 10s)) << "no load before the fault";
      auto postmaster = postmaster_pid(cluster_.url());
      fault_window w;
      w.began = load.now_ms();
      fault(postmaster);
      w.back = load.now_ms();
      windows.push_back(w);
      ASSERT_TRUE(load.wait_for_acks(50, 10s)) << "no 2xx after the database came back";
    }
    std::this_thread::sleep_for(std::chrono::seconds{load_seconds()});
    load.stop();
    auto f = evaluate(load, cluster_.url(), windows);
    f.peak_rss_kb = peak_rss_kb(server_->pid());
    report(name, f);
    expect_database_fault_handled(f);
  }

  pg_cluster cluster_;
  std::unique_ptr<server_process> server_;
};

TEST_F(Outage, KillNineOfPostgresLosesNoAcknowledgedSnapshot) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  const auto pid = server_->pid();
  ingest_load load{server_->port(), "SIM_PGKILL", load_clients()};
  load.start();
  ASSERT_NO_FATAL_FAILURE(run_database_faults(load, "postgres_kill9", [&](pid_t postmaster) {
    signal_cluster(postmaster, SIGKILL);
    std::this_thread::sleep_for(2s);
    cluster_.start(); // crash recovery, then accepting connections
  }));
  EXPECT_EQ(server_->pid(), pid);
  EXPECT_TRUE(server_->running()) << "the server died with its database";
}

TEST_F(Outage, SigstopOfPostgresAnswersUnavailableAndRecovers) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  const auto pid = server_->pid();
  const auto frozen = std::chrono::seconds{std::max(1, env_int("TRAFFIC_FAULT_STOP_SECONDS", 10))};
  ingest_load load{server_->port(), "SIM_PGSTOP", load_clients()};
  load.start();
  ASSERT_NO_FATAL_FAILURE(run_database_faults(load, "postgres_sigstop", [&](pid_t postmaster) {
    // Frozen, not gone: its sockets stay open and the kernel keeps acknowledging what the
    // server sends, so only the server's own timeouts can notice.
    signal_cluster(postmaster, SIGSTOP);
    std::this_thread::sleep_for(frozen);
    signal_cluster(postmaster, SIGCONT);
  }));
  EXPECT_EQ(server_->pid(), pid);
  EXPECT_TRUE(server_->running());
}

TEST_F(Outage, KillNineOfTheServerLosesNoAcknowledgedSnapshot) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  ingest_load load{server_->port(), "SIM_SRVKILL", load_clients()};
  load.start();
  std::vector<fault_window> windows;
  long peak = 0;
  for (int round = 0; round < fault_rounds(); ++round) {
    std::this_thread::sleep_for(std::chrono::seconds{load_seconds()});
    ASSERT_TRUE(load.wait_for_acks(50, 10s)) << "no load before the fault";
    fault_window w;
    peak = std::max(peak, peak_rss_kb(server_->pid()));
    w.began = load.now_ms();
    server_->kill9();
    // The same port and database: the clients reconnect by themselves.
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    w.back = load.now_ms();
    windows.push_back(w);
    ASSERT_TRUE(load.wait_for_acks(50, 10s)) << "no 2xx after the restart";
  }
  std::this_thread::sleep_for(std::chrono::seconds{load_seconds()});
  load.stop();
  auto f = evaluate(load, cluster_.url(), windows);
  f.peak_rss_kb = std::max(peak, peak_rss_kb(server_->pid()));
  report("server_kill9", f);
  EXPECT_GT(f.acked, 0);
  EXPECT_EQ(f.found, f.acked) << f.acked - f.found << " acknowledged snapshots are not stored";
  EXPECT_EQ(f.hung, 0) << "requests got no answer within " << client_timeout.count() << " s";
  EXPECT_EQ(f.outage_other, 0) << "answers other than 2xx and 503 around the restart";
  // While no server runs, connecting fails at once: no request may wait for the restart.
  EXPECT_LT(f.outage_max_ms, 1000.0);
  EXPECT_LT(f.recovery_max_ms, 5000.0)
      << "the first 2xx came " << f.recovery_max_ms << " ms after the server answered /health";
}

} // namespace
