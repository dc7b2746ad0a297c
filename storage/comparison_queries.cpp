// Baseline versus AI: block samples read per run and side, compared by metrics/.
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "metrics/comparison.hpp"
#include "storage/report_queries.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

namespace {

/// The runs to compare and the side each one is on.
struct side_runs {
  std::vector<std::string> baseline; ///< sorted
  std::vector<std::string> ai;       ///< sorted
};

/// Returns the runs with a mode and a scenario (only those of `scenario` when set), each on
/// the side of its stored mode.
side_runs tagged_runs(snapshot_read& tx, const std::optional<std::string>& scenario) {
  side_runs runs;
  // Rows come by id, so both lists are sorted.
  for (const auto& row : tx.exec_prepared("comparison_tagged_runs", text_or_null(scenario))) {
    auto mode = metrics::parse_run_mode(row["mode"].as<std::string>());
    auto id = row["id"].as<std::string>();
    if (mode == metrics::run_mode::baseline)
      runs.baseline.push_back(std::move(id));
    else if (mode == metrics::run_mode::ai)
      runs.ai.push_back(std::move(id));
  }
  return runs;
}

/// Returns the block samples of every run in `runs`, each with its side (a run on both sides,
/// compared with itself, gives its blocks to both).
std::vector<metrics::block_sample> read_blocks(snapshot_read& tx, const side_runs& runs,
                                               std::int64_t block_seconds) {
  if (block_seconds <= 0)
    throw std::invalid_argument("the block width must be positive");
  std::multimap<std::string, metrics::run_mode> side_of;
  std::vector<std::string> ids;
  for (const auto& id : runs.baseline) {
    side_of.emplace(id, metrics::run_mode::baseline);
    ids.push_back(id);
  }
  for (const auto& id : runs.ai) {
    side_of.emplace(id, metrics::run_mode::ai);
    ids.push_back(id);
  }
  std::vector<metrics::block_sample> blocks;
  // The ids travel as one JSON array text (libpqxx 6.4 has no array parameters).
  for (const auto& row : tx.exec_prepared("comparison_blocks", json_array(ids), block_seconds)) {
    metrics::block_sample b;
    b.simulation_id = row["simulation_id"].as<std::string>();
    if (!row["scenario"].is_null())
      b.scenario = row["scenario"].as<std::string>();
    b.intersection_id = row["intersection_id"].as<std::string>();
    b.block_start = row["block_start_us"].as<std::int64_t>();
    b.snapshots = row["snapshots"].as<std::int64_t>();
    b.wait = row["wait"].as<double>();
    b.speed = row["speed"].as<double>();
    b.throughput = row["throughput"].as<double>();
    b.vehicles_passed = row["vehicles_passed"].as<double>();
    auto [first, last] = side_of.equal_range(b.simulation_id);
    for (auto it = first; it != last; ++it) {
      b.side = it->second;
      blocks.push_back(b);
    }
  }
  return blocks;
}

} // namespace

metrics::comparison_report read_comparison(snapshot_read& tx,
                                           const metrics::analytics_query& query) {
  side_runs runs;
  if (query.baseline && query.ai) {
    // By ids: the side comes from the request, whatever mode the runs are stored with.
    runs.baseline = {*query.baseline};
    runs.ai = {*query.ai};
  } else if (query.scenario) {
    runs = tagged_runs(tx, query.scenario);
  } else {
    throw std::invalid_argument("a comparison needs baseline and ai ids, or a scenario");
  }
  const auto blocks = read_blocks(tx, runs, query.block_seconds);
  auto report = metrics::compare_blocks(std::move(runs.baseline), std::move(runs.ai), blocks,
                                        query.block_seconds);
  if (!(query.baseline && query.ai))
    report.scenario = query.scenario;
  return report;
}

metrics::performance_dashboard read_performance_dashboard(snapshot_read& tx,
                                                          const metrics::analytics_query& query) {
  const auto runs = tagged_runs(tx, std::nullopt);
  return metrics::build_dashboard(read_blocks(tx, runs, query.block_seconds), query.block_seconds);
}

} // namespace traffic::storage
