// The per-kind readers behind analytics_reader::answer; private to storage/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "metrics/analytics_query.hpp"
#include "metrics/reports.hpp"

namespace traffic::storage {

/// Repeatable read, so every query of one answer sees the same committed data even while
/// writers commit between them; a read-only transaction never fails to serialize.
using snapshot_read = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

/// A time series lists at most this many buckets (the query fetches one more to tell whether
/// it was cut).
inline constexpr std::size_t max_series_points = 10000;

/// The wait-time trend chart has at most this many labels (bucket starts).
inline constexpr std::size_t max_trend_labels = 10000;

// Each reader below throws what libpqxx throws, and std::invalid_argument for a query it can't
// answer (a bug upstream: the http layer validates requests); the caller turns both into a
// status.

/// Returns the first of `ids` (in order) that names no simulation, or nothing.
std::optional<std::string> find_missing_simulation(snapshot_read& tx,
                                                   const std::vector<std::string>& ids);

/// Answers wait_times (figure "wait_time") and speeds (figure "speed").
metrics::distribution_report read_distribution(snapshot_read& tx,
                                               const metrics::analytics_query& query);

/// Answers environmental_impact.
metrics::environmental_report read_environmental_impact(snapshot_read& tx,
                                                        const metrics::query_filter& filter);

/// Answers emergency_report.
metrics::emergency_report read_emergency_report(snapshot_read& tx,
                                                const metrics::analytics_query& query);

/// Answers time_series for query.filter.simulation_id.
metrics::time_series read_time_series(snapshot_read& tx, const metrics::analytics_query& query);

/// Answers wait_time_trend.
metrics::trend_chart read_wait_time_trend(snapshot_read& tx, const metrics::analytics_query& query);

/// Answers performance_scatter.
metrics::scatter_chart read_performance_scatter(snapshot_read& tx,
                                                const metrics::analytics_query& query);

/// Answers comparison, by ids (baseline and ai) or else by scenario.
metrics::comparison_report read_comparison(snapshot_read& tx,
                                           const metrics::analytics_query& query);

/// Answers performance_dashboard.
metrics::performance_dashboard read_performance_dashboard(snapshot_read& tx,
                                                          const metrics::analytics_query& query);

/// Answers simulations.
metrics::simulation_list read_simulations(snapshot_read& tx, const metrics::analytics_query& query);

/// Maps a row of sql/simulations_list.sql (or simulations_update.sql) to a simulation_info.
metrics::simulation_info simulation_info_of(const pqxx::row& row);

/// Returns the field as a double, 0 when it is NULL (an aggregate over no row).
inline double double_or_zero(const pqxx::field& f) {
  return f.is_null() ? 0.0 : f.as<double>();
}

} // namespace traffic::storage
