// Read-only analytics queries; each answer comes from one consistent snapshot of the database.
#include "storage/analytics_reader.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "storage/connection.hpp"
#include "storage/report_queries.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

namespace {

/// Returns the per-direction rows in compass order; unknown names (impossible under the
/// table's CHECK) are skipped.
std::vector<metrics::direction_summary> read_directions(snapshot_read& tx,
                                                        const std::string& simulation_id) {
  std::vector<metrics::direction_summary> out;
  for (const auto& row : tx.exec_prepared("summary_directions", simulation_id)) {
    auto approach = metrics::parse_direction(row["direction"].as<std::string>());
    if (!approach)
      continue;
    metrics::direction_summary d;
    d.approach = *approach;
    d.samples = row["samples"].as<std::int64_t>();
    d.mean_wait = row["mean_wait"].as<double>();
    d.vehicles_crossed = row["vehicles_crossed"].as<std::int64_t>();
    d.green_time_allocated = row["green_time_allocated"].as<std::int64_t>();
    d.green_time_share = row["green_time_share"].as<double>();
    d.green_status_share = row["green_status_share"].as<double>();
    out.push_back(d);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return static_cast<int>(a.approach) < static_cast<int>(b.approach);
  });
  return out;
}

/// Returns the vehicle class sums, by class name (the SQL orders them byte-wise).
std::vector<metrics::vehicle_count> read_vehicle_classes(snapshot_read& tx,
                                                         const std::string& simulation_id) {
  std::vector<metrics::vehicle_count> out;
  for (const auto& row : tx.exec_prepared("summary_vehicle_classes", simulation_id))
    out.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>()});
  return out;
}

/// Returns the summary of one simulation, or nothing when it has no stored snapshot.
std::optional<metrics::simulation_summary> read_summary(snapshot_read& tx,
                                                        const std::string& simulation_id) {
  const auto rows = tx.exec_prepared("summary_snapshots", simulation_id);
  if (rows.empty())
    return std::nullopt;
  const auto& row = rows[0];
  metrics::simulation_summary s;
  s.simulation_id = simulation_id;
  if (!row["mode"].is_null())
    s.mode = metrics::parse_run_mode(row["mode"].as<std::string>());
  if (!row["scenario"].is_null())
    s.scenario = row["scenario"].as<std::string>();
  s.snapshots = row["snapshots"].as<std::int64_t>();
  s.intersections = row["intersections"].as<std::int64_t>();
  s.first_timestamp = row["first_timestamp_us"].as<std::int64_t>();
  s.last_timestamp = row["last_timestamp_us"].as<std::int64_t>();
  s.mean_wait = row["mean_wait"].as<double>();
  s.mean_speed = row["mean_speed"].as<double>();
  s.mean_throughput = row["mean_throughput"].as<double>();
  s.total_vehicles_passed = row["total_vehicles_passed"].as<std::int64_t>();
  s.fuel_saved_total = row["fuel_saved_total"].as<double>();
  s.co2_saved_total = row["co2_saved_total"].as<double>();
  s.emergency_overrides = row["emergency_overrides"].as<std::int64_t>();
  s.directions = read_directions(tx, simulation_id);
  s.vehicle_class_mix = read_vehicle_classes(tx, simulation_id);
  return s;
}

/// Returns every simulation id the query names (each must exist), in a fixed order.
std::vector<std::string> named_simulations(const metrics::analytics_query& query) {
  std::vector<std::string> ids;
  for (const auto* id : {&query.filter.simulation_id, &query.baseline, &query.ai})
    if (*id)
      ids.push_back(**id);
  ids.insert(ids.end(), query.simulation_ids.begin(), query.simulation_ids.end());
  return ids;
}

/// Returns the answer of `query`'s kind, read inside `tx`.
metrics::analytics_answer read_answer(snapshot_read& tx, const metrics::analytics_query& query) {
  using metrics::query_kind;
  switch (query.kind) {
    case query_kind::summary: {
      // The simulation exists (checked before), so it has at least one snapshot.
      auto s = read_summary(tx, *query.filter.simulation_id);
      if (!s)
        throw std::logic_error("a stored simulation has no snapshot");
      return std::move(*s);
    }
    case query_kind::wait_times:
    case query_kind::speeds: return read_distribution(tx, query);
    case query_kind::environmental_impact: return read_environmental_impact(tx, query.filter);
    case query_kind::emergency_report: return read_emergency_report(tx, query);
    case query_kind::time_series: return read_time_series(tx, query);
    case query_kind::wait_time_trend: return read_wait_time_trend(tx, query);
    case query_kind::performance_scatter: return read_performance_scatter(tx, query);
    case query_kind::comparison: return read_comparison(tx, query);
    case query_kind::performance_dashboard: return read_performance_dashboard(tx, query);
    case query_kind::simulations: return read_simulations(tx, query);
  }
  throw std::invalid_argument("unknown query kind");
}

/// Fills `result` with the outcome of the exception being handled. Call only inside a catch
/// block, after the transaction is gone, as connection::on_exception needs.
template <class T>
void fail_with_current_exception(connection& conn, read_result<T>& result) {
  auto f = conn.on_exception();
  result.status = f.status;
  result.error = std::move(f.message);
  result.value.reset();
}

/// Returns the message of a not_found answer.
std::string unknown_simulation(const std::string& id) {
  return "unknown simulation: " + id;
}

} // namespace

struct analytics_reader::impl {
  connection conn;

  impl(std::string conninfo, std::chrono::milliseconds statement_timeout)
      : conn(std::move(conninfo), statement_timeout,
             {"summary_snapshots", "summary_directions", "summary_vehicle_classes",
              "simulations_missing", "distribution_snapshot_figure", "distribution_approach_waits",
              "environmental_totals", "emergency_episodes", "emergency_overrides", "series_buckets",
              "trend_buckets", "scatter_points", "comparison_tagged_runs", "comparison_blocks",
              "simulations_list", "simulations_update", "simulations_delete",
              "simulations_expired"},
             // The filters are written `($n IS NULL OR column = $n)`: planned for the actual
             // values, a NULL filter folds away and a set one can use an index; a generic
             // plan, which PostgreSQL may switch to after five runs, could do neither.
             // JIT compiling took 37 ms of a 440 ms time series on 10M snapshots: more than
             // whole rollup queries take, so these short analytic queries run without it.
             {{"plan_cache_mode", "force_custom_plan"}, {"jit", "off"}}) {}
};

analytics_reader::analytics_reader(std::string conninfo,
                                   std::chrono::milliseconds statement_timeout)
    : impl_(std::make_unique<impl>(std::move(conninfo), statement_timeout)) {}

analytics_reader::~analytics_reader() = default;

read_result<metrics::simulation_summary>
analytics_reader::simulation_summary(const std::string& simulation_id) {
  metrics::analytics_query query;
  query.kind = metrics::query_kind::summary;
  query.filter.simulation_id = simulation_id;
  auto answer_result = answer(query);
  read_result<metrics::simulation_summary> result;
  result.status = answer_result.status;
  result.error = std::move(answer_result.error);
  if (answer_result.value)
    result.value = std::get<metrics::simulation_summary>(std::move(*answer_result.value));
  return result;
}

read_result<metrics::analytics_answer>
analytics_reader::answer(const metrics::analytics_query& query) {
  read_result<metrics::analytics_answer> result;
  try {
    if (query.kind == metrics::query_kind::summary && !query.filter.simulation_id)
      throw std::invalid_argument("a summary needs a simulation id");
    snapshot_read tx{impl_->conn.get()};
    if (auto missing = find_missing_simulation(tx, named_simulations(query))) {
      result.status = storage_status::not_found;
      result.error = unknown_simulation(*missing);
      return result;
    }
    auto value = read_answer(tx, query);
    tx.commit();
    result.status = storage_status::ok;
    result.value = std::move(value);
  } catch (...) {
    // The transaction was destroyed when the try block was left.
    fail_with_current_exception(impl_->conn, result);
  }
  return result;
}

template <class Change>
read_result<metrics::simulation_info> analytics_reader::change_run(const std::string& simulation_id,
                                                                   Change change) {
  read_result<metrics::simulation_info> result;
  try {
    pqxx::work tx{impl_->conn.get()};
    const auto rows = change(tx);
    if (rows.empty()) {
      result.status = storage_status::not_found;
      result.error = unknown_simulation(simulation_id);
      return result;
    }
    auto info = simulation_info_of(rows[0]);
    tx.commit();
    result.status = storage_status::ok;
    result.value = std::move(info);
  } catch (...) {
    fail_with_current_exception(impl_->conn, result);
  }
  return result;
}

read_result<metrics::simulation_info>
analytics_reader::update_simulation(const metrics::simulation_update& update) {
  std::optional<std::string> mode;
  if (update.mode)
    mode.emplace(metrics::to_string(*update.mode));
  return change_run(update.simulation_id, [&](pqxx::work& tx) {
    return tx.exec_prepared("simulations_update", update.simulation_id, update.set_mode,
                            text_or_null(mode), update.set_scenario, text_or_null(update.scenario));
  });
}

read_result<metrics::simulation_info>
analytics_reader::delete_simulation(const std::string& simulation_id) {
  return change_run(simulation_id, [&](pqxx::work& tx) {
    // Cascading over a long run's rows takes longer than a query may: a fixed, generous bound
    // for this statement only.
    tx.exec("SET LOCAL statement_timeout = '60s'");
    return tx.exec_prepared("simulations_delete", simulation_id);
  });
}

read_result<std::vector<std::string>> analytics_reader::expired_simulations(int days, int limit) {
  read_result<std::vector<std::string>> result;
  try {
    pqxx::read_transaction tx{impl_->conn.get()};
    std::vector<std::string> ids;
    for (const auto& row : tx.exec_prepared("simulations_expired", days, limit))
      ids.push_back(row[0].as<std::string>());
    tx.commit();
    result.status = storage_status::ok;
    result.value = std::move(ids);
  } catch (...) {
    fail_with_current_exception(impl_->conn, result);
  }
  return result;
}

} // namespace traffic::storage
