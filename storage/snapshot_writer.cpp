// Batch writes: COPY into per-connection staging tables, then one statement moves the new rows.
#include "storage/snapshot_writer.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include <pqxx/pqxx>

#include "storage/connection.hpp"
#include "storage/sql_files.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

namespace {

/// Deadlocks and serialization failures are retried this many times before giving up.
constexpr int max_retries = 3;

/// The pause before retry n (1-based) is n times this.
constexpr std::chrono::milliseconds retry_backoff{5};

/// Column lists of the COPYs, in the order of the tuples below (sql/write_create_staging.sql).
const std::vector<std::string> snapshot_columns{"seq",
                                                "simulation_id",
                                                "intersection_id",
                                                "\"timestamp\"",
                                                "mode",
                                                "scenario",
                                                "total_vehicles_passed",
                                                "avg_wait_time_all_sides",
                                                "throughput",
                                                "avg_speed",
                                                "fuel_saved",
                                                "co2_saved",
                                                "emergency_overrides"};

const std::vector<std::string> signal_columns{"seq",
                                              "direction",
                                              "signal_status",
                                              "signal_timer",
                                              "vehicles_crossed",
                                              "avg_wait_time",
                                              "green_time_allocated",
                                              "emergency_vehicle_present",
                                              "vehicle_counts"};

/// Returns the shortest text that parses back to exactly `x` (what float8in reads exactly).
std::string format_double(double x) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  if (ec != std::errc{})
    return "NaN"; // cannot happen with 32 bytes; NaN then fails the table's CHECK
  return std::string(buf.data(), end);
}

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

/// Returns the indexes of the snapshots to send: the first copy of each key, in batch order.
std::vector<int> first_copies(const std::vector<const metrics::snapshot*>& batch) {
  std::vector<int> out;
  out.reserve(batch.size());
  std::set<snapshot_key> seen;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& s = *batch[i];
    if (seen.emplace(s.simulation_id, s.intersection_id, s.timestamp).second)
      out.push_back(static_cast<int>(i));
  }
  return out;
}

/// COPYs the snapshots `send` (indexes into `batch`) and their signals into the staging tables.
void stage(pqxx::work& tx, const std::vector<const metrics::snapshot*>& batch,
           const std::vector<int>& send) {
  {
    pqxx::stream_to out{tx, "pg_temp.staging_snapshots", snapshot_columns};
    for (int seq : send) {
      const auto& s = *batch[static_cast<std::size_t>(seq)];
      const auto& m = s.metrics;
      // RFC 3339 with "Z": the server reads it as UTC whatever the session's TimeZone is.
      const auto ts = metrics::format_rfc3339(s.timestamp);
      std::optional<std::string> mode;
      if (s.mode)
        mode.emplace(metrics::to_string(*s.mode));
      out << std::make_tuple(seq, s.simulation_id.c_str(), s.intersection_id.c_str(), ts.c_str(),
                             mode, text_or_null(s.scenario), m.total_vehicles_passed,
                             format_double(m.avg_wait_time_all_sides), format_double(m.throughput),
                             format_double(m.avg_speed), format_double(m.fuel_saved),
                             format_double(m.co2_saved), m.emergency_overrides);
    }
    out.complete();
  }
  {
    pqxx::stream_to out{tx, "pg_temp.staging_signals", signal_columns};
    for (int seq : send) {
      for (const auto& g : batch[static_cast<std::size_t>(seq)]->signals) {
        out << std::make_tuple(seq, std::string{metrics::to_string(g.approach)},
                               std::string{metrics::to_string(g.status)}, g.signal_timer,
                               g.vehicles_crossed, format_double(g.avg_wait_time),
                               g.green_time_allocated, g.emergency_vehicle_present,
                               vehicle_counts_json(g.vehicle_counts));
      }
    }
    out.complete();
  }
}

} // namespace

struct snapshot_writer::impl {
  connection conn;
  /// The backend whose session has the staging tables (0: none yet). A new backend means a new
  /// session, so the tables are made again (also after a reconnect libpqxx did by itself).
  int staging_backend = 0;

  impl(std::string conninfo, std::chrono::milliseconds statement_timeout)
      : conn(std::move(conninfo), statement_timeout, {"write_insert_snapshots", "ping"}) {}

  /// Runs one write transaction; returns the seq of every snapshot stored. Throws pqxx errors.
  std::vector<int> write_once(const std::vector<const metrics::snapshot*>& batch,
                              const std::vector<int>& send) {
    auto& c = conn.get();
    pqxx::work tx{c};
    const int backend = c.backendpid();
    if (backend != staging_backend)
      tx.exec(std::string{sql_text("write_create_staging")});
    stage(tx, batch, send);
    std::vector<int> stored;
    const auto rows = tx.exec_prepared("write_insert_snapshots");
    stored.reserve(rows.size());
    for (const auto& row : rows)
      stored.push_back(row[0].as<int>());
    tx.commit();
    // Only a committed CREATE leaves the tables in place.
    staging_backend = backend;
    return stored;
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
