// JSON bodies of the dashboard and chart answers, the run list, live metrics and cache clearing.
#include "http/report_json.hpp"

#include <cstdint>

#include "http/report_json_detail.hpp"

namespace traffic::http {

namespace detail {

namespace {

constexpr const char* comparison_method = "Welch's t-test on per-intersection block means";

/// Returns {"runs":[...],"snapshots":n} of one side of a comparison.
json side_of(const std::vector<std::string>& runs, std::int64_t snapshots) {
  return json{{"runs", runs}, {"snapshots", snapshots}};
}

/// Returns [low, high] when both ends are finite, else null.
json interval_of(const metrics::metric_comparison& m) {
  if (!m.ci_low || !m.ci_high || !std::isfinite(*m.ci_low) || !std::isfinite(*m.ci_high))
    return nullptr;
  return json::array({*m.ci_low, *m.ci_high});
}

json encode_metric(const metrics::metric_comparison& m) {
  return json{{"figure", m.figure},
              {"better_when", m.lower_is_better ? "lower" : "higher"},
              {"baseline_mean", number(m.baseline_mean)},
              {"ai_mean", number(m.ai_mean)},
              {"difference", number(m.difference)},
              {"percent_change", number(m.percent_change)},
              {"ci95", interval_of(m)},
              {"p_value", number(m.p_value)},
              {"t_statistic", number(m.t_statistic)},
              {"degrees_of_freedom", number(m.degrees_of_freedom)},
              {"baseline_blocks", m.baseline_blocks},
              {"ai_blocks", m.ai_blocks},
              {"ai_better", m.ai_better}};
}

json encode_live(const actors::live_simulation& s) {
  const auto& live = s.live;
  return json{
      {"simulation_id", live.simulation_id},
      {"mode", mode_of(live.mode)},
      {"scenario", optional_text(live.scenario)},
      {"active", s.active},
      {"latest_timestamp",
       live.latest_timestamp == 0 ? json(nullptr) : time_of(live.latest_timestamp)},
      {"intersections", live.intersections},
      {"snapshots_committed", live.snapshots_committed},
      {"ingest_rate", number(s.ingest_rate)},
      {"seconds_since_last_commit", number(static_cast<double>(s.ms_since_last_commit) / 1e3)},
      {"rolling",
       {{"window_seconds", live.rolling_window_seconds},
        {"samples", live.rolling_samples},
        {"mean_wait_time", number(live.rolling_mean_wait)},
        {"mean_speed", number(live.rolling_mean_speed)},
        {"mean_throughput", number(live.rolling_mean_throughput)}}},
  };
}

} // namespace

json encode(const metrics::scatter_chart& c) {
  json points = json::array();
  for (const auto& p : c.points)
    points.push_back(json{{"x", number(p.x)},
                          {"y", number(p.y)},
                          {"label", p.label},
                          {"mode", mode_of(p.mode)},
                          {"simulation_id", p.simulation_id},
                          {"intersection_id", optional_text(p.intersection_id)},
                          {"snapshots", p.snapshots}});
  return json{{"by", metrics::to_string(c.by)},
              {"points", std::move(points)},
              {"axes", {{"x", "mean wait time (s)"}, {"y", "mean throughput"}}}};
}

json encode(const metrics::comparison_report& r) {
  json list = json::array();
  for (const auto& m : r.metrics)
    list.push_back(encode_metric(m));
  return json{{"scenario", optional_text(r.scenario)},
              {"block_seconds", r.block_seconds},
              {"baseline", side_of(r.baseline_runs, r.baseline_snapshots)},
              {"ai", side_of(r.ai_runs, r.ai_snapshots)},
              {"metrics", std::move(list)},
              {"method", comparison_method}};
}

json encode(const metrics::performance_dashboard& d) {
  json scenarios = json::array();
  for (const auto& report : d.scenarios)
    scenarios.push_back(encode(report));
  return json{{"block_seconds", d.block_seconds},
              {"scenarios", std::move(scenarios)},
              {"overall", d.overall ? encode(*d.overall) : json(nullptr)}};
}

json encode(const metrics::simulation_info& info) {
  return json{{"simulation_id", info.simulation_id},
              {"mode", mode_of(info.mode)},
              {"scenario", optional_text(info.scenario)},
              {"first_timestamp", time_of(info.first_timestamp)},
              {"last_timestamp", time_of(info.last_timestamp)},
              {"snapshots", info.snapshots},
              {"first_seen", time_of(info.first_seen)},
              {"last_seen", time_of(info.last_seen)}};
}

json encode(const metrics::simulation_list& list) {
  json simulations = json::array();
  for (const auto& info : list.simulations)
    simulations.push_back(encode(info));
  return json{{"simulations", std::move(simulations)}, {"truncated", list.truncated}};
}

} // namespace detail

std::string simulation_info_body(const metrics::simulation_info& info) {
  return detail::dump(detail::encode(info));
}

std::string live_metrics_body(const actors::live_metrics& live) {
  detail::json simulations = detail::json::array();
  for (const auto& s : live.simulations)
    simulations.push_back(detail::encode_live(s));
  return detail::dump(detail::json{{"simulations", std::move(simulations)},
                                   {"active_simulations", live.active_simulations},
                                   {"global_ingest_rate", detail::number(live.global_ingest_rate)},
                                   {"snapshots_committed", live.snapshots_committed},
                                   {"rate_window_seconds", live.rate_window_seconds},
                                   {"active_window_seconds", live.active_window_seconds}});
}

std::string cache_cleared_body(const actors::cache_cleared& cleared,
                               const std::optional<std::string>& simulation_id) {
  return detail::dump(
      detail::json{{"cleared", {{"entries", cleared.entries}, {"bytes", cleared.bytes}}},
                   {"simulation_id", detail::optional_text(simulation_id)}});
}

std::string live_metrics_event(const actors::live_metrics& live) {
  // The body is compact JSON, one line, so it is a single data field.
  return "event: live\ndata: " + live_metrics_body(live) + "\n\n";
}

} // namespace traffic::http
