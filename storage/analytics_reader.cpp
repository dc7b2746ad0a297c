// Read-only analytics queries; each answer comes from one consistent snapshot of the database.
#include "storage/analytics_reader.hpp"

#include <algorithm>
#include <utility>

#include <pqxx/pqxx>

#include "storage/connection.hpp"

namespace traffic::storage {

namespace {

/// Repeatable read, so the three summary queries see the same committed data even while
/// writers commit between them; a read-only transaction never fails to serialize.
using snapshot_read = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

/// Returns the per-direction rows in compass order; unknown names (impossible under the
/// table's CHECK) are skipped.
std::vector<metrics::direction_summary> read_directions(snapshot_read& tx,
                                                        const std::string& simulation_id) {
  std::vector<metrics::direction_summary> out;
  for (const auto& row : tx.exec_prepared("summary_directions", simulation_id)) {
    auto approach = metrics::parse_direction(row[0].as<std::string>());
    if (!approach)
      continue;
    metrics::direction_summary d;
    d.approach = *approach;
    d.samples = row[1].as<std::int64_t>();
    d.mean_wait = row[2].as<double>();
    d.vehicles_crossed = row[3].as<std::int64_t>();
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

} // namespace

struct analytics_reader::impl {
  connection conn;

  impl(std::string conninfo, std::chrono::milliseconds statement_timeout)
      : conn(std::move(conninfo), statement_timeout,
             {"summary_snapshots", "summary_directions", "summary_vehicle_classes"}) {}
};

analytics_reader::analytics_reader(std::string conninfo,
                                   std::chrono::milliseconds statement_timeout)
    : impl_(std::make_unique<impl>(std::move(conninfo), statement_timeout)) {}

analytics_reader::~analytics_reader() = default;

read_result<metrics::simulation_summary>
analytics_reader::simulation_summary(const std::string& simulation_id) {
  read_result<metrics::simulation_summary> result;
  try {
    snapshot_read tx{impl_->conn.get()};
    const auto rows = tx.exec_prepared("summary_snapshots", simulation_id);
    if (rows.empty()) {
      result.status = storage_status::not_found;
      return result;
    }
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
    tx.commit();
    result.status = storage_status::ok;
    result.value = std::move(s);
  } catch (...) {
    auto f = impl_->conn.on_exception();
    result.status = f.status;
    result.error = std::move(f.message);
    result.value.reset();
  }
  return result;
}

} // namespace traffic::storage
