// Batch writes: one transaction per batch for its rows, its runs and the rollups.
#include "storage/snapshot_writer.hpp"

#include <array>
#include <chrono>
#include <map>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include "metrics/batch_rollup.hpp"
#include "storage/array_literal.hpp"
#include "storage/connection.hpp"
#include "storage/copy_text.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

namespace {

/// Batches of at least this many new snapshots go by COPY, smaller ones by one statement
/// (bench/RESULTS.md, 2026-11-29).
constexpr std::size_t copy_threshold = 200;

/// Deadlocks and serialization failures are retried this many times before giving up.
constexpr int max_retries = 3;

/// The pause before retry n (1-based) is n times this.
constexpr std::chrono::milliseconds retry_backoff{5};

/// Returns the vehicle counts as a JSON object text, e.g. {"car":78,"bus":0}.
std::string vehicle_counts_json(const std::vector<metrics::vehicle_count>& counts) {
  std::string out = "{";
  for (const auto& vc : counts) {
    if (out.size() > 1)
      out += ',';
    append_json_string(out, vc.vehicle_class);
    out += ':';
    out += std::to_string(vc.count);
  }
  out += '}';
  return out;
}

using snapshot_key = std::tuple<std::string_view, std::string_view, metrics::timestamp_us>;

/// Returns the indexes of the snapshots to send: the first copy of each key, in key order (so
/// concurrent writers take key locks in the same order).
std::vector<int> first_copies(const std::vector<const metrics::snapshot*>& batch) {
  std::vector<int> out;
  out.reserve(batch.size());
  std::map<snapshot_key, int> first;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& s = *batch[i];
    first.emplace(snapshot_key{s.simulation_id, s.intersection_id, s.timestamp},
                  static_cast<int>(i));
  }
  for (const auto& entry : first)
    out.push_back(entry.second);
  return out;
}

/// The column lists of the COPYs, in the order copy_rows writes the fields.
const std::vector<std::string> snapshot_columns{"simulation_id",
                                                "intersection_id",
                                                "\"timestamp\"",
                                                "mode",
                                                "total_vehicles_passed",
                                                "avg_wait_time_all_sides",
                                                "throughput",
                                                "avg_speed",
                                                "fuel_saved",
                                                "co2_saved",
                                                "emergency_overrides"};

const std::vector<std::string> approach_columns{"simulation_id",        "intersection_id",
                                                "\"timestamp\"",        "direction",
                                                "signal_status",        "signal_timer",
                                                "vehicles_crossed",     "avg_wait_time",
                                                "green_time_allocated", "emergency_vehicle_present",
                                                "vehicle_counts"};

/// COPYs `rows` (COPY text without the last line end) into `table`. libpqxx 6.4's stream_to
/// takes rows only as tuples, escaping each field into a string of its own, which cost about
/// 15 us per snapshot; its tablewriter, deprecated for its own escaping (unused here), is the
/// one public way to send rows we escaped ourselves, so its deprecation is silenced here only.
void copy_into(pqxx::work& tx, const char* table, const std::vector<std::string>& columns,
               const std::string& rows) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  pqxx::tablewriter out{tx, table, columns.begin(), columns.end()};
#pragma GCC diagnostic pop
  if (!rows.empty())
    out.write_raw_line(rows);
  out.complete();
}

/// COPYs the snapshots `send` (indexes into `batch`) and their approaches into the tables.
/// Throws pqxx::unique_violation (at the end of the first COPY) when a key is stored already.
void copy_rows(pqxx::work& tx, const std::vector<const metrics::snapshot*>& batch,
               const std::vector<int>& send) {
  copy_text snapshots;
  copy_text approaches;
  snapshots.reserve(send.size() * 160);
  approaches.reserve(send.size() * 4 * 200);
  for (int seq : send) {
    const auto& s = *batch[static_cast<std::size_t>(seq)];
    const auto& m = s.metrics;
    // RFC 3339 with "Z": the server reads it as UTC whatever the session's TimeZone is.
    const auto ts = metrics::format_rfc3339(s.timestamp);
    snapshots.add(s.simulation_id);
    snapshots.add(s.intersection_id);
    snapshots.add(ts);
    if (s.mode)
      snapshots.add(metrics::to_string(*s.mode));
    else
      snapshots.add_null();
    snapshots.add(m.total_vehicles_passed);
    snapshots.add(m.avg_wait_time_all_sides);
    snapshots.add(m.throughput);
    snapshots.add(m.avg_speed);
    snapshots.add(m.fuel_saved);
    snapshots.add(m.co2_saved);
    snapshots.add(m.emergency_overrides);
    snapshots.end_row();
    for (const auto& g : s.signals) {
      approaches.add(s.simulation_id);
      approaches.add(s.intersection_id);
      approaches.add(ts);
      approaches.add(metrics::to_string(g.approach));
      approaches.add(metrics::to_string(g.status));
      approaches.add(g.signal_timer);
      approaches.add(g.vehicles_crossed);
      approaches.add(g.avg_wait_time);
      approaches.add(g.green_time_allocated);
      approaches.add(g.emergency_vehicle_present);
      approaches.add(vehicle_counts_json(g.vehicle_counts));
      approaches.end_row();
    }
  }
  copy_into(tx, "performance_metrics", snapshot_columns, snapshots.take());
  copy_into(tx, "signal_states", approach_columns, approaches.take());
}

/// The rows of the snapshots `send` (indexes into `batch`) and of their approaches, as the
/// parallel arrays $1-$22 of sql/write_batch.sql.
std::vector<std::string> row_parameters(const std::vector<const metrics::snapshot*>& batch,
                                        const std::vector<int>& send) {
  std::array<array_literal, 22> c;
  for (int seq : send) {
    const auto& s = *batch[static_cast<std::size_t>(seq)];
    const auto& m = s.metrics;
    // RFC 3339 with "Z": the server reads it as UTC whatever the session's TimeZone is.
    const auto ts = metrics::format_rfc3339(s.timestamp);
    c[0].add(s.simulation_id);
    c[1].add(s.intersection_id);
    c[2].add(ts);
    if (s.mode)
      c[3].add(metrics::to_string(*s.mode));
    else
      c[3].add_null();
    c[4].add(m.total_vehicles_passed);
    c[5].add(m.avg_wait_time_all_sides);
    c[6].add(m.throughput);
    c[7].add(m.avg_speed);
    c[8].add(m.fuel_saved);
    c[9].add(m.co2_saved);
    c[10].add(m.emergency_overrides);
    for (const auto& g : s.signals) {
      c[11].add(s.simulation_id);
      c[12].add(s.intersection_id);
      c[13].add(ts);
      c[14].add(metrics::to_string(g.approach));
      c[15].add(metrics::to_string(g.status));
      c[16].add(g.signal_timer);
      c[17].add(g.vehicles_crossed);
      c[18].add(g.avg_wait_time);
      c[19].add(g.green_time_allocated);
      c[20].add(g.emergency_vehicle_present);
      c[21].add(vehicle_counts_json(g.vehicle_counts));
    }
  }
  std::vector<std::string> out;
  out.reserve(c.size());
  for (auto& column : c)
    out.push_back(column.text());
  return out;
}

template <class T>
void add_figure(array_literal* columns, const metrics::figure_totals<T>& f) {
  columns[0].add(f.sum);
  columns[1].add(f.min);
  columns[2].add(f.max);
}

/// Appends the rollup rows to `out` as the parallel arrays $23-$63 of sql/write_batch.sql.
void add_rollup_parameters(const metrics::batch_rollup& r, std::vector<std::string>& out) {
  std::array<array_literal, 41> c;
  for (const auto& run : r.runs) {
    c[0].add(run.simulation_id);
    if (run.mode)
      c[1].add(metrics::to_string(*run.mode));
    else
      c[1].add_null();
    if (run.scenario)
      c[2].add(*run.scenario);
    else
      c[2].add_null();
    c[3].add(metrics::format_rfc3339(run.first_timestamp));
    c[4].add(metrics::format_rfc3339(run.last_timestamp));
    c[5].add(run.snapshots);
  }
  for (const auto& m : r.minutes) {
    c[6].add(m.simulation_id);
    c[7].add(m.intersection_id);
    c[8].add(metrics::format_rfc3339(m.minute));
    c[9].add(m.snapshots);
    add_figure(&c[10], m.wait);
    add_figure(&c[13], m.speed);
    add_figure(&c[16], m.throughput);
    add_figure(&c[19], m.vehicles);
    add_figure(&c[22], m.fuel);
    add_figure(&c[25], m.co2);
    add_figure(&c[28], m.overrides);
  }
  for (const auto& d : r.directions) {
    c[31].add(d.simulation_id);
    c[32].add(metrics::to_string(d.approach));
    c[33].add(d.samples);
    c[34].add(d.wait_sum);
    c[35].add(d.vehicles_crossed);
    c[36].add(d.green_time_allocated);
    c[37].add(d.green_samples);
  }
  for (const auto& v : r.vehicle_classes) {
    c[38].add(v.simulation_id);
    c[39].add(v.vehicle_class);
    c[40].add(v.vehicles);
  }
  for (auto& column : c)
    out.push_back(column.text());
}

} // namespace

struct snapshot_writer::impl {
  connection conn;

  // The statements' plans do not depend on their values (arrays, unnested whole), and planning
  // the batch statement's parts cost more than executing them for a small batch.
  // synchronous_commit on: a 2xx promises that the snapshots survive a crash of PostgreSQL, and
  // with asynchronous commit (a server set to synchronous_commit=off) COMMIT returns before its
  // WAL is written, so a kill -9 of PostgreSQL lost acknowledged batches (tests/http/
  // outage_faulttest.cpp). With group commit it costs one WAL flush per batch.
  impl(std::string conninfo, std::chrono::milliseconds statement_timeout)
      : conn(std::move(conninfo), statement_timeout,
             {"write_batch", "write_insert_snapshots", "ping"},
             {{"plan_cache_mode", "force_generic_plan"}, {"synchronous_commit", "on"}}) {}

  /// Stores the batch and returns the seq of every snapshot stored now. The common case is no
  /// key stored before: a small batch is one statement outside a transaction block (one round
  /// trip, one commit); a large one is COPYed, as PostgreSQL parses COPY text faster than
  /// array parameters. A batch holding a resend fails either as a whole and is stored again by
  /// a transaction that skips stored keys. Throws pqxx errors.
  std::vector<int> write_once(const std::vector<const metrics::snapshot*>& batch,
                              const std::vector<int>& send) {
    if (send.size() >= copy_threshold)
      return write_by_copy(batch, send);
    auto parameters = row_parameters(batch, send);
    add_rollup_parameters(metrics::rollup_batch(batch, send), parameters);
    try {
      pqxx::nontransaction tx{conn.get()};
      tx.exec_prepared("write_batch", pqxx::prepare::make_dynamic_params(parameters));
      return send;
    } catch (const pqxx::unique_violation&) {
      return write_skipping_stored(batch, send);
    }
  }

  std::vector<int> write_by_copy(const std::vector<const metrics::snapshot*>& batch,
                                 const std::vector<int>& send) {
    pqxx::work tx{conn.get()};
    try {
      copy_rows(tx, batch, send);
    } catch (const pqxx::unique_violation&) {
      tx.abort();
      return write_skipping_stored(batch, send);
    }
    add_rollups(tx, batch, send);
    tx.commit();
    return send;
  }

  std::vector<int> write_skipping_stored(const std::vector<const metrics::snapshot*>& batch,
                                         const std::vector<int>& send) {
    pqxx::work tx{conn.get()};
    // write_batch's row arrays, and the seq of each snapshot.
    auto parameters = row_parameters(batch, send);
    array_literal seqs;
    for (int seq : send)
      seqs.add(std::int64_t{seq});
    parameters.push_back(seqs.text());
    const auto rows =
        tx.exec_prepared("write_insert_snapshots", pqxx::prepare::make_dynamic_params(parameters));
    std::vector<int> stored;
    stored.reserve(rows.size());
    for (const auto& row : rows)
      stored.push_back(row[0].as<int>());
    add_rollups(tx, batch, stored);
    tx.commit();
    return stored;
  }

  /// Adds the snapshots `stored`, whose rows are in, to their runs and the rollups.
  static void add_rollups(pqxx::work& tx, const std::vector<const metrics::snapshot*>& batch,
                          const std::vector<int>& stored) {
    if (stored.empty())
      return;
    std::vector<std::string> parameters(22, "{}"); // no rows: only runs and rollups
    add_rollup_parameters(metrics::rollup_batch(batch, stored), parameters);
    tx.exec_prepared("write_batch", pqxx::prepare::make_dynamic_params(parameters));
  }
};

snapshot_writer::snapshot_writer(std::string conninfo, std::chrono::milliseconds statement_timeout)
    : impl_(std::make_unique<impl>(std::move(conninfo), statement_timeout)) {}

snapshot_writer::~snapshot_writer() = default;

write_result snapshot_writer::write(const std::vector<const metrics::snapshot*>& batch) {
  write_result result;
  try {
    for (const auto* s : batch) {
      if (s == nullptr) {
        result.error = "null snapshot in batch";
        return result;
      }
    }
    result.stored.assign(batch.size(), false);
    if (batch.empty()) {
      result.status = storage_status::ok;
      return result;
    }
    const auto send = first_copies(batch);
    for (int attempt = 0;; ++attempt) {
      try {
        for (int seq : impl_->write_once(batch, send))
          result.stored.at(static_cast<std::size_t>(seq)) = true;
        result.status = storage_status::ok;
        return result;
      } catch (...) {
        auto f = impl_->conn.on_exception();
        if (f.retry && attempt < max_retries) {
          std::this_thread::sleep_for(retry_backoff * (attempt + 1));
          continue;
        }
        // A broken connection is not retried here: the caller answers 503 and the client's
        // retry is idempotent by key.
        result.status = f.status;
        result.error = std::move(f.message);
        result.stored.clear();
        return result;
      }
    }
  } catch (...) {
    // Out of memory while preparing the batch or the result.
    auto f = classify_current_exception();
    result.status = storage_status::failed;
    result.error = std::move(f.message);
    result.stored.clear();
    return result;
  }
}

storage_status snapshot_writer::ping(std::string* error) {
  try {
    pqxx::nontransaction tx{impl_->conn.get()};
    tx.exec_prepared("ping");
    return storage_status::ok;
  } catch (...) {
    auto f = impl_->conn.on_exception();
    if (error != nullptr)
      *error = std::move(f.message);
    return storage_status::unavailable;
  }
}

} // namespace traffic::storage
