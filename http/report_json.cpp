// JSON bodies of the analytics answers: summary, distributions, environment, emergencies, series.
#include "http/report_json.hpp"

#include <variant>

#include "http/report_json_detail.hpp"

namespace traffic::http {

namespace detail {

namespace {

/// Returns `into` with the statistics of a distribution added as members.
json add_stats(json into, const metrics::distribution_stats& s) {
  into["samples"] = s.samples;
  into["mean"] = number(s.mean);
  into["min"] = number(s.min);
  into["p50"] = number(s.p50);
  into["p95"] = number(s.p95);
  into["max"] = number(s.max);
  return into;
}

/// Returns `into` with the environmental totals added as members.
json add_totals(json into, const metrics::environmental_totals& t) {
  into["snapshots"] = t.snapshots;
  into["fuel_saved"] = number(t.fuel_saved);
  into["co2_saved"] = number(t.co2_saved);
  return into;
}

/// Returns `into` with the emergency statistics added as members.
json add_emergency_stats(json into, const metrics::emergency_stats& s) {
  into["episodes"] = s.episodes;
  into["episodes_with_green"] = s.episodes_with_green;
  into["total_duration_seconds"] = number(s.total_duration_seconds);
  into["mean_duration_seconds"] = number(s.mean_duration_seconds);
  into["max_duration_seconds"] = number(s.max_duration_seconds);
  into["mean_time_to_green_seconds"] = number(s.mean_time_to_green_seconds);
  into["max_time_to_green_seconds"] = number(s.max_time_to_green_seconds);
  into["overrides"] = s.overrides;
  return into;
}

} // namespace

json encode(const metrics::simulation_summary& s) {
  json directions = json::array();
  for (const auto& d : s.directions)
    directions.push_back(json{{"direction", metrics::to_string(d.approach)},
                              {"samples", d.samples},
                              {"mean_wait_time", number(d.mean_wait)},
                              {"vehicles_crossed", d.vehicles_crossed},
                              {"green_time_allocated", d.green_time_allocated},
                              {"green_time_share", number(d.green_time_share)},
                              {"green_status_share", number(d.green_status_share)}});
  json mix = json::object();
  for (const auto& count : s.vehicle_class_mix)
    mix[count.vehicle_class] = count.count;
  return json{
      {"simulation_id", s.simulation_id},
      {"mode", mode_of(s.mode)},
      {"scenario", optional_text(s.scenario)},
      {"intersections", s.intersections},
      {"snapshots", s.snapshots},
      {"first_timestamp", time_of(s.first_timestamp)},
      {"last_timestamp", time_of(s.last_timestamp)},
      {"duration_seconds", number(s.duration_seconds())},
      {"mean_wait_time", number(s.mean_wait)},
      {"mean_speed", number(s.mean_speed)},
      {"mean_throughput", number(s.mean_throughput)},
      {"total_vehicles_passed", s.total_vehicles_passed},
      {"fuel_saved_total", number(s.fuel_saved_total)},
      {"co2_saved_total", number(s.co2_saved_total)},
      {"emergency_overrides", s.emergency_overrides},
      {"directions", std::move(directions)},
      {"vehicle_class_mix", std::move(mix)},
  };
}

json encode(const metrics::distribution_report& r) {
  json groups = json::array();
  for (const auto& g : r.groups)
    groups.push_back(add_stats(json{{"key", g.key}}, g.stats));
  return json{{"figure", r.figure},
              {"unit", r.figure == "speed" ? "km/h" : "seconds"},
              {"group_by", r.group_by == metrics::group_key::none
                               ? json(nullptr)
                               : json(std::string{metrics::to_string(r.group_by)})},
              {"overall", add_stats(json::object(), r.overall)},
              {"groups", std::move(groups)}};
}

json encode(const metrics::environmental_report& r) {
  json per_intersection = json::array();
  for (const auto& g : r.per_intersection)
    per_intersection.push_back(add_totals(json{{"intersection_id", g.key}}, g.totals));
  json per_hour = json::array();
  for (const auto& g : r.per_hour)
    per_hour.push_back(add_totals(json{{"hour", g.key}}, g.totals));
  return json{{"overall", add_totals(json::object(), r.overall)},
              {"per_intersection", std::move(per_intersection)},
              {"per_hour", std::move(per_hour)},
              {"units", {{"fuel_saved", "litres"}, {"co2_saved", "kg"}}}};
}

json encode(const metrics::emergency_report& r) {
  json per_intersection = json::array();
  for (const auto& g : r.per_intersection)
    per_intersection.push_back(add_emergency_stats(
        json{{"simulation_id", g.simulation_id}, {"intersection_id", g.intersection_id}}, g.stats));
  json episodes = json::array();
  for (const auto& e : r.episodes)
    episodes.push_back(json{{"simulation_id", e.simulation_id},
                            {"intersection_id", e.intersection_id},
                            {"direction", metrics::to_string(e.approach)},
                            {"start", time_of(e.start)},
                            {"end", time_of(e.end)},
                            {"duration_seconds", number(e.duration_seconds())},
                            {"snapshots", e.snapshots},
                            {"time_to_green_seconds", number(e.time_to_green_seconds())}});
  return json{{"totals", add_emergency_stats(json::object(), r.totals)},
              {"per_intersection", std::move(per_intersection)},
              {"episodes", std::move(episodes)},
              {"episodes_truncated", r.episodes_truncated}};
}

json encode(const metrics::time_series& s) {
  json points = json::array();
  for (const auto& p : s.points)
    points.push_back(json{{"timestamp", time_of(p.start)},
                          {"count", p.count},
                          {"mean", number(p.mean)},
                          {"min", number(p.min)},
                          {"max", number(p.max)}});
  return json{
      {"simulation_id", s.simulation_id},   {"metric", metrics::to_string(s.metric)},
      {"bucket_seconds", s.bucket_seconds}, {"intersection_id", optional_text(s.intersection_id)},
      {"points", std::move(points)},        {"truncated", s.truncated}};
}

json encode(const metrics::trend_chart& c) {
  json labels = json::array();
  for (auto t : c.labels)
    labels.push_back(time_of(t));
  json datasets = json::array();
  for (const auto& d : c.datasets) {
    json data = json::array();
    for (const auto& v : d.data)
      data.push_back(number(v));
    datasets.push_back(json{{"label", d.label}, {"data", std::move(data)}});
  }
  return json{{"bucket_seconds", c.bucket_seconds},
              {"labels", std::move(labels)},
              {"datasets", std::move(datasets)},
              {"truncated", c.truncated}};
}

} // namespace detail

std::string answer_body(const metrics::analytics_answer& answer) {
  return detail::dump(std::visit([](const auto& value) { return detail::encode(value); }, answer));
}

std::string summary_body(const metrics::simulation_summary& summary) {
  return detail::dump(detail::encode(summary));
}

} // namespace traffic::http
