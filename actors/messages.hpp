// Atoms, message types and errors of the actor layer: the whole vocabulary http/ may use.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>

#include "metrics/analytics_query.hpp"
#include "metrics/histogram.hpp"
#include "metrics/reports.hpp"
#include "metrics/simulation_summary.hpp"
#include "metrics/snapshot.hpp"
#include "storage/snapshot_writer.hpp"

namespace traffic::actors {

// Atom texts are at most 10 characters (CAF 0.17 checks at compile time).
using ingest_atom = caf::atom_constant<caf::atom("ingest")>;
using write_atom = caf::atom_constant<caf::atom("write")>;
using written_atom = caf::atom_constant<caf::atom("written")>;
using committed_atom = caf::atom_constant<caf::atom("committed")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using probe_atom = caf::atom_constant<caf::atom("probe")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using health_atom = caf::atom_constant<caf::atom("health")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using live_atom = caf::atom_constant<caf::atom("live")>;
using query_atom = caf::atom_constant<caf::atom("query")>;
using invalidate_atom = caf::atom_constant<caf::atom("invalidate")>;
using clear_atom = caf::atom_constant<caf::atom("clear")>;
using forget_atom = caf::atom_constant<caf::atom("forget")>;
using update_atom = caf::atom_constant<caf::atom("update")>;
using remove_atom = caf::atom_constant<caf::atom("remove")>;
using expired_atom = caf::atom_constant<caf::atom("expired")>;
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;

/// Why an actor could not do what it was asked. Travels as caf::error (category "traffic").
enum class failure : std::uint8_t {
  queue_full = 1,       ///< the writer queue is at its bound: retry shortly (503)
  database_unavailable, ///< PostgreSQL is unreachable or timed out: retry later (503)
  storage_failed,       ///< PostgreSQL refused the work: a server-side problem (500)
  not_found,            ///< the simulation (or other thing) does not exist (404)
  shutting_down,        ///< the server is stopping and takes no new work (503)
};

/// Wraps `f` as a caf::error.
caf::error make_error(failure f);

/// Returns the failure inside `e`, or nothing when `e` is not one of ours (e.g. a timeout).
std::optional<failure> as_failure(const caf::error& e);

/// Returns a short English description of `f` for error bodies and logs.
const char* describe(failure f);

/// Snapshots that arrived in one request, validated, shared read-only by every actor that
/// looks at them (the payload is never copied).
using snapshot_list = std::shared_ptr<const std::vector<metrics::snapshot>>;

/// The answer to an ingest request, sent only after COMMIT.
struct ingest_ack {
  std::int64_t stored = 0;
  std::int64_t duplicates = 0;
};

/// The write queue's answer to the router: the ack and which snapshots were stored now.
struct write_receipt {
  ingest_ack ack;
  std::vector<bool> stored; ///< one flag per snapshot of the request, in order
};

/// Requests gathered into one transaction, handed from the write queue to a writer.
struct write_job {
  std::uint64_t id = 0;
  std::vector<snapshot_list> requests;
};

/// What a writer reports back about a database probe.
struct probe_result {
  storage::storage_status status = storage::storage_status::unavailable;
  std::string error;
};

/// Newly stored snapshots of one simulation, sent to its actor after COMMIT.
struct committed_snapshots {
  snapshot_list request;
  std::vector<std::uint32_t> indices; ///< positions in *request belonging to the simulation
};

/// Live state of one simulation, owned by its simulation actor.
struct simulation_live {
  std::string simulation_id;
  std::optional<metrics::run_mode> mode;
  std::optional<std::string> scenario;
  std::int64_t snapshots_committed = 0; ///< since this actor started
  std::int64_t intersections = 0;
  metrics::timestamp_us latest_timestamp = 0;
  std::int64_t rolling_window_seconds = 60; ///< width of the rolling means, in snapshot time
  double rolling_mean_wait = 0; ///< over the last rolling_window_seconds of snapshot time
  double rolling_mean_speed = 0;
  double rolling_mean_throughput = 0;
  std::int64_t rolling_samples = 0;
};

/// Database reachability as the write queue last saw it.
struct database_health {
  bool up = false;
  std::string last_error;
  std::int64_t since_last_contact_ms = 0;
};

/// Counters of the write queue.
struct write_queue_stats {
  std::int64_t queued_requests = 0;
  std::int64_t queued_snapshots = 0;
  std::int64_t capacity_snapshots = 0;
  std::int64_t writers = 0;
  std::int64_t busy_writers = 0;
  std::int64_t batches_committed = 0;
  std::int64_t batches_failed = 0;
  std::int64_t snapshots_stored = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected_queue_full = 0;
  std::int64_t rejected_unavailable = 0;
  database_health database;
  metrics::histogram batch_rows;     ///< snapshots per committed batch
  metrics::histogram commit_seconds; ///< from handing a batch to a writer to its commit
};

/// Counters of the cache actor.
struct cache_stats {
  std::int64_t entries = 0;
  std::int64_t bytes = 0;
  std::int64_t capacity_bytes = 0;
  std::int64_t ttl_ms = 0;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
  std::int64_t evictions = 0;     ///< entries dropped to stay within capacity_bytes
  std::int64_t expirations = 0;   ///< entries found older than the TTL
  std::int64_t invalidations = 0; ///< entries dropped because their data changed
  std::int64_t in_flight = 0;     ///< distinct queries waiting for the analytics actors
};

/// Everything /system/info reports about the actors.
struct system_stats {
  std::int64_t simulation_actors = 0;
  std::int64_t analytics_actors = 0;
  write_queue_stats writes;
  cache_stats cache;
};

/// An encoded analytics answer, shared read-only between the cache and every requester.
using answer_body = std::shared_ptr<const std::string>;

/// The cache actor's answer to a query.
struct cached_answer {
  answer_body body;
  bool hit = false; ///< served from the cache (true) or computed for this request (false)
};

/// What an admin clear-cache removed.
struct cache_cleared {
  std::int64_t entries = 0;
  std::int64_t bytes = 0;
};

/// One simulation as the live-metrics actor sees it.
struct live_simulation {
  simulation_live live;
  double ingest_rate = 0;                ///< snapshots committed per second, recent window
  std::int64_t ms_since_last_commit = 0; ///< wall clock
  bool active = false;                   ///< committed within the active window
};

/// Receives each published live view, already encoded for the wire; returns false once its
/// receiver is gone (then it is dropped). Called on the live-metrics actor's thread: it must
/// only hand the text over, never block.
using live_subscriber = std::function<bool(std::shared_ptr<const std::string>)>;

/// The live dashboard: every simulation with an actor, from memory only.
struct live_metrics {
  std::vector<live_simulation> simulations; ///< by simulation id
  std::int64_t active_simulations = 0;
  double global_ingest_rate = 0;        ///< snapshots per second, all simulations
  std::int64_t snapshots_committed = 0; ///< since the server started
  std::int64_t rate_window_seconds = 10;
  std::int64_t active_window_seconds = 60;
};

} // namespace traffic::actors

// Local messages only: none of these is ever serialised, so no inspect() is needed.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::snapshot_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::ingest_ack)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::write_receipt)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::write_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::probe_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::committed_snapshots)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::simulation_live)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::database_health)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::write_queue_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::live_subscriber)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::system_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::storage::write_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::metrics::simulation_summary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::metrics::analytics_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::metrics::simulation_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::metrics::simulation_info)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::cache_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::answer_body)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::cached_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::cache_cleared)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(traffic::actors::live_metrics)
