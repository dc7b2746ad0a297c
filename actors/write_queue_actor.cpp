// The bounded queue in front of the writers: group commit, back-pressure and database health.
#include "actors/write_queue_actor.hpp"

#include <deque>
#include <unordered_map>
#include <vector>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/messages.hpp"
#include "actors/writer_actor.hpp"

namespace traffic::actors {

namespace {

using clock = std::chrono::steady_clock;

/// How often the queue looks at its jobs and probes.
constexpr auto check_interval = std::chrono::milliseconds{50};

/// How often the database is probed when nothing else tells of its health.
constexpr auto probe_interval_up = std::chrono::milliseconds{1000};
constexpr auto probe_interval_down = std::chrono::milliseconds{500};

/// A write in flight this long while no writer has reported meanwhile makes the queue probe the
/// database at once (and again this often while it lasts). Commits normally take milliseconds;
/// the probe tells a slow write (the database answers it) from a database that answers nothing.
constexpr auto stall_check_after = std::chrono::milliseconds{150};

struct pending_write {
  snapshot_list request;
  caf::typed_response_promise<write_receipt> promise;
  clock::time_point enqueued;
  /// Set when the database refused the group-committed batch this request was in: it is
  /// written again in a job of its own, so only a request the database refuses itself fails.
  bool alone = false;
};

struct job_in_flight {
  std::vector<pending_write> requests;
  std::int64_t rows = 0;
  clock::time_point dispatched;
};

/// Bounds of the batch-size histogram: a batch holds 1 to WRITER_BATCH_ROWS snapshots.
const std::vector<double>& batch_row_bounds() {
  static const std::vector<double> bounds{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
  return bounds;
}

/// Bounds of the commit-latency histogram, in seconds: 1 ms to 10 s.
const std::vector<double>& commit_second_bounds() {
  static const std::vector<double> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                          0.25,  0.5,    1,     2.5,  5,     10};
  return bounds;
}

struct write_queue_state {
  write_queue_config config;
  std::vector<caf::actor> writers;
  std::vector<caf::actor> idle_writers;
  /// Probes the database over a connection of its own, so a probe never waits behind a write.
  caf::actor prober;
  std::deque<pending_write> queue;
  std::int64_t queued_snapshots = 0;
  std::unordered_map<std::uint64_t, job_in_flight> jobs;
  std::uint64_t next_job_id = 1;
  bool flush_armed = false;
  bool probing = false;           ///< a probe is out with the prober
  clock::time_point probe_sent{}; ///< when the last probe went out
  bool draining = false;
  std::vector<caf::typed_response_promise<bool>> drain_waiters;
  // The server applied its migrations before spawning us, so the database starts reachable.
  bool db_up = true;
  std::string last_error;
  clock::time_point last_contact = clock::now();
  clock::time_point last_report = clock::now(); ///< any word from a writer or the prober
  write_queue_stats counters;
  static inline const char* name = "write_queue";
};

using queue_actor = caf::stateful_actor<write_queue_state>*;

void fail_all(std::vector<pending_write>& requests, failure why) {
  for (auto& pending : requests)
    pending.promise.deliver(make_error(why));
  requests.clear();
}

void fail_queued(queue_actor self, failure why) {
  auto& st = self->state;
  for (auto& pending : st.queue)
    pending.promise.deliver(make_error(why));
  st.queue.clear();
  st.queued_snapshots = 0;
}

void mark_down(queue_actor self, const std::string& error) {
  auto& st = self->state;
  if (st.db_up)
    spdlog::warn("database unreachable, refusing ingest until it answers: error=\"{}\"", error);
  st.db_up = false;
  st.last_error = error;
  fail_queued(self, failure::database_unavailable);
}

void mark_up(queue_actor self) {
  auto& st = self->state;
  if (!st.db_up)
    spdlog::info("database reachable again, accepting ingest");
  st.db_up = true;
  st.last_contact = clock::now();
}

database_health health_of(const write_queue_state& st) {
  auto since =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - st.last_contact);
  return database_health{st.db_up, st.last_error, since.count()};
}

void finish_drain_if_idle(queue_actor self) {
  auto& st = self->state;
  if (!st.draining || !st.queue.empty() || !st.jobs.empty())
    return;
  for (auto& waiter : st.drain_waiters)
    waiter.deliver(true);
  st.drain_waiters.clear();
}

/// Hands batches to idle writers: at once when a batch is full or we are draining, else after
/// the oldest request has waited batch_delay, so quiet periods still commit promptly.
void dispatch(queue_actor self) {
  auto& st = self->state;
  while (!st.queue.empty() && !st.idle_writers.empty()) {
    auto waited = clock::now() - st.queue.front().enqueued;
    if (!st.draining && !st.queue.front().alone && st.queued_snapshots < st.config.batch_rows &&
        waited < st.config.batch_delay) {
      if (!st.flush_armed) {
        st.flush_armed = true;
        auto rest =
            std::chrono::duration_cast<std::chrono::microseconds>(st.config.batch_delay - waited);
        self->delayed_send(self, rest, flush_atom::value);
      }
      break;
    }
    write_job job;
    job.id = st.next_job_id++;
    job_in_flight flight;
    std::int64_t rows = 0;
    while (!st.queue.empty()) {
      auto& next = st.queue.front();
      auto size = static_cast<std::int64_t>(next.request->size());
      if (rows > 0 && (next.alone || rows + size > st.config.batch_rows))
        break;
      rows += size;
      bool alone = next.alone;
      job.requests.push_back(next.request);
      flight.requests.push_back(std::move(next));
      st.queue.pop_front();
      if (alone)
        break;
    }
    st.queued_snapshots -= rows;
    flight.rows = rows;
    flight.dispatched = clock::now();
    auto writer = st.idle_writers.back();
    st.idle_writers.pop_back();
    st.jobs.emplace(job.id, std::move(flight));
    self->delayed_send(self, st.config.job_timeout, expire_atom::value, job.id);
    self->send(writer, write_atom::value, std::move(job));
  }
  finish_drain_if_idle(self);
}

void deliver_receipts(queue_actor self, job_in_flight& job, const std::vector<bool>& stored) {
  auto& counters = self->state.counters;
  std::size_t offset = 0;
  for (auto& pending : job.requests) {
    write_receipt receipt;
    auto n = pending.request->size();
    receipt.stored.assign(stored.begin() + static_cast<std::ptrdiff_t>(offset),
                          stored.begin() + static_cast<std::ptrdiff_t>(offset + n));
    offset += n;
    for (bool is_new : receipt.stored)
      ++(is_new ? receipt.ack.stored : receipt.ack.duplicates);
    counters.snapshots_stored += receipt.ack.stored;
    counters.duplicates += receipt.ack.duplicates;
    pending.promise.deliver(std::move(receipt));
  }
}

/// Puts the requests of a batch the database refused back at the head of the queue, in their
/// order, each to be written alone: one bad row must not fail the requests grouped with it.
void retry_alone(queue_actor self, std::vector<pending_write>& requests) {
  auto& st = self->state;
  for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
    it->alone = true;
    st.queued_snapshots += static_cast<std::int64_t>(it->request->size());
    st.queue.push_front(std::move(*it));
  }
  requests.clear();
}

/// The database stopped answering: release every caller of a job in flight and of the queue
/// with 503 now, rather than when the jobs time out.
void mark_unresponsive(queue_actor self) {
  auto& st = self->state;
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - st.probe_sent);
  // The writers stay busy until they report; only their callers are released now.
  for (auto& entry : st.jobs) {
    ++st.counters.batches_failed;
    fail_all(entry.second.requests, failure::database_unavailable);
  }
  auto jobs = st.jobs.size();
  st.jobs.clear();
  spdlog::warn("database does not answer: probe_waited_ms={} writes_released={}", waited.count(),
               jobs);
  mark_down(self, "the database does not answer (probe unanswered for " +
                      std::to_string(waited.count()) + " ms)");
  finish_drain_if_idle(self);
}

void on_written(queue_actor self, std::uint64_t job_id, storage::write_result& result) {
  auto& st = self->state;
  st.idle_writers.push_back(caf::actor_cast<caf::actor>(self->current_sender()));
  st.last_report = clock::now();
  auto it = st.jobs.find(job_id);
  if (it == st.jobs.end()) {
    // Already answered 503 (timed out, or the database stopped answering); a late commit is
    // harmless because keys are idempotent: the client's retry is counted as a duplicate. It
    // does show that the database answers again.
    spdlog::info("late write result after timeout: job={} status={}", job_id,
                 static_cast<int>(result.status));
    if (result.status == storage::storage_status::ok)
      mark_up(self);
  } else {
    auto job = std::move(it->second);
    st.jobs.erase(it);
    switch (result.status) {
      case storage::storage_status::ok:
        ++st.counters.batches_committed;
        st.counters.batch_rows.observe(static_cast<double>(job.rows));
        st.counters.commit_seconds.observe(
            std::chrono::duration<double>(clock::now() - job.dispatched).count());
        mark_up(self);
        deliver_receipts(self, job, result.stored);
        break;
      case storage::storage_status::unavailable:
      case storage::storage_status::not_found:
        ++st.counters.batches_failed;
        fail_all(job.requests, failure::database_unavailable);
        mark_down(self, result.error);
        break;
      case storage::storage_status::failed:
        ++st.counters.batches_failed;
        if (job.requests.size() > 1) {
          spdlog::warn("batch refused by the database, writing its requests one by one: job={} "
                       "requests={} error=\"{}\"",
                       job_id, job.requests.size(), result.error);
          retry_alone(self, job.requests);
        } else {
          spdlog::error("write refused by the database: job={} snapshots={} error=\"{}\"", job_id,
                        job.rows, result.error);
          fail_all(job.requests, failure::storage_failed);
        }
        break;
    }
  }
  dispatch(self);
}

/// Returns true when a job has been in flight for stall_check_after and no writer has reported
/// for as long.
bool write_stalled(const write_queue_state& st, clock::time_point now) {
  if (now - st.last_report < stall_check_after || now - st.probe_sent < stall_check_after)
    return false;
  for (const auto& entry : st.jobs)
    if (now - entry.second.dispatched >= stall_check_after)
      return true;
  return false;
}

void on_tick(queue_actor self) {
  auto& st = self->state;
  self->delayed_send(self, check_interval, tick_atom::value);
  auto now = clock::now();
  if (st.probing) {
    // A database that keeps its connections open but answers nothing (a frozen process or
    // host, a network dropping packets) fails no call: libpq waits, and statement_timeout runs
    // on the server, so only this probe's silence, with the writers silent too, shows it.
    if (st.db_up && now - st.probe_sent >= st.config.probe_timeout &&
        now - st.last_report >= st.config.probe_timeout)
      mark_unresponsive(self);
    return;
  }
  bool due = st.db_up ? now - st.last_contact >= probe_interval_up
                      : now - st.probe_sent >= probe_interval_down;
  if (!due && !(st.db_up && write_stalled(st, now)))
    return;
  st.probing = true;
  st.probe_sent = now;
  self->send(st.prober, ping_atom::value);
}

caf::behavior write_queue_actor(caf::stateful_actor<write_queue_state>* self,
                                write_queue_config config) {
  auto& st = self->state;
  st.config = std::move(config);
  st.counters.capacity_snapshots = st.config.queue_snapshots;
  st.counters.batch_rows = metrics::histogram{batch_row_bounds()};
  st.counters.commit_seconds = metrics::histogram{commit_second_bounds()};
  for (int i = 0; i < st.config.writers; ++i) {
    auto writer =
        self->spawn<caf::detached + caf::linked>(writer_actor, caf::actor_cast<caf::actor>(self),
                                                 st.config.conninfo, st.config.statement_timeout);
    st.writers.push_back(writer);
    st.idle_writers.push_back(writer);
  }
  st.prober =
      self->spawn<caf::detached + caf::linked>(writer_actor, caf::actor_cast<caf::actor>(self),
                                               st.config.conninfo, st.config.statement_timeout);
  self->send(self, tick_atom::value);
  return {
      [=](write_atom, snapshot_list& request) -> caf::result<write_receipt> {
        auto& st = self->state;
        if (st.draining)
          return make_error(failure::shutting_down);
        if (!st.db_up) {
          ++st.counters.rejected_unavailable;
          return make_error(failure::database_unavailable);
        }
        auto size = static_cast<std::int64_t>(request->size());
        if (st.queued_snapshots > 0 && st.queued_snapshots + size > st.config.queue_snapshots) {
          ++st.counters.rejected_queue_full;
          return make_error(failure::queue_full);
        }
        auto promise = self->make_response_promise<write_receipt>();
        st.queue.push_back(pending_write{std::move(request), promise, clock::now()});
        st.queued_snapshots += size;
        dispatch(self);
        return promise;
      },
      [=](flush_atom) {
        self->state.flush_armed = false;
        dispatch(self);
      },
      [=](written_atom, std::uint64_t job_id, storage::write_result& result) {
        on_written(self, job_id, result);
      },
      [=](expire_atom, std::uint64_t job_id) {
        auto& st = self->state;
        auto it = st.jobs.find(job_id);
        if (it == st.jobs.end())
          return;
        // The writer stays busy until it reports; only the callers are released now.
        spdlog::warn("write timed out: job={} timeout_ms={}", job_id,
                     st.config.job_timeout.count());
        ++st.counters.batches_failed;
        fail_all(it->second.requests, failure::database_unavailable);
        st.jobs.erase(it);
        mark_down(self, "write timed out");
        finish_drain_if_idle(self);
      },
      [=](tick_atom) { on_tick(self); },
      [=](probe_atom, const probe_result& probe) {
        auto& st = self->state;
        st.probing = false;
        st.last_report = clock::now();
        if (probe.status == storage::storage_status::ok)
          mark_up(self);
        else
          mark_down(self, probe.error);
        dispatch(self);
      },
      [=](caf::get_atom, stats_atom) {
        auto& st = self->state;
        auto stats = st.counters;
        stats.queued_requests = static_cast<std::int64_t>(st.queue.size());
        stats.queued_snapshots = st.queued_snapshots;
        stats.writers = static_cast<std::int64_t>(st.writers.size());
        stats.busy_writers = static_cast<std::int64_t>(st.writers.size() - st.idle_writers.size());
        stats.database = health_of(st);
        return stats;
      },
      [=](caf::get_atom, health_atom) { return health_of(self->state); },
      [=](drain_atom) -> caf::result<bool> {
        auto& st = self->state;
        st.draining = true;
        auto promise = self->make_response_promise<bool>();
        st.drain_waiters.push_back(promise);
        dispatch(self);
        return promise;
      },
  };
}

} // namespace

caf::actor spawn_write_queue(caf::actor_system& system, write_queue_config config) {
  return system.spawn(write_queue_actor, std::move(config));
}

} // namespace traffic::actors
