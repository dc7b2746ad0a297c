// JSON bodies of every answer the server gives: values, and the one error shape.
#include "http/json_responses.hpp"

#include <nlohmann/json.hpp>

#include "metrics/timestamp.hpp"

namespace traffic::http {

namespace {

using json = nlohmann::json;

json optional_text(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

json mode_of(const std::optional<metrics::run_mode>& mode) {
  return mode ? json(std::string{metrics::to_string(*mode)}) : json(nullptr);
}

std::string dump(const json& doc) {
  // Replace invalid UTF-8 instead of throwing: bodies may echo client text.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::string error_body(std::string_view code, std::string_view message,
                       const std::vector<decode_detail>& details, std::string_view request_id) {
  json list = json::array();
  for (const auto& detail : details) {
    json item{{"path", detail.path}, {"message", detail.message}};
    if (detail.index)
      item["index"] = *detail.index;
    list.push_back(std::move(item));
  }
  return dump(json{{"error", {{"code", code}, {"message", message}, {"details", std::move(list)}}},
                   {"request_id", request_id}});
}

std::string ingest_ack_body(const actors::ingest_ack& ack) {
  return dump(json{{"stored", ack.stored}, {"duplicates", ack.duplicates}});
}

std::string summary_body(const metrics::simulation_summary& s) {
  json directions = json::array();
  for (const auto& d : s.directions)
    directions.push_back(json{{"direction", metrics::to_string(d.approach)},
                              {"samples", d.samples},
                              {"mean_wait_time", d.mean_wait},
                              {"vehicles_crossed", d.vehicles_crossed}});
  json mix = json::object();
  for (const auto& count : s.vehicle_class_mix)
    mix[count.vehicle_class] = count.count;
  return dump(json{
      {"simulation_id", s.simulation_id},
      {"mode", mode_of(s.mode)},
      {"scenario", optional_text(s.scenario)},
      {"intersections", s.intersections},
      {"snapshots", s.snapshots},
      {"first_timestamp", metrics::format_rfc3339(s.first_timestamp)},
      {"last_timestamp", metrics::format_rfc3339(s.last_timestamp)},
      {"duration_seconds", s.duration_seconds()},
      {"mean_wait_time", s.mean_wait},
      {"mean_speed", s.mean_speed},
      {"mean_throughput", s.mean_throughput},
      {"total_vehicles_passed", s.total_vehicles_passed},
      {"fuel_saved_total", s.fuel_saved_total},
      {"co2_saved_total", s.co2_saved_total},
      {"emergency_overrides", s.emergency_overrides},
      {"directions", std::move(directions)},
      {"vehicle_class_mix", std::move(mix)},
  });
}

std::string health_body(const actors::database_health* health, std::string_view version,
                        std::chrono::seconds uptime) {
  bool up = health && health->up;
  json doc{{"status", up ? "ok" : "degraded"},
           {"database", health ? (up ? "up" : "down") : "unknown"},
           {"version", version},
           {"uptime_seconds", uptime.count()}};
  if (health && !health->up)
    doc["database_error"] = health->last_error;
  return dump(doc);
}

std::string system_info_body(const actors::system_stats& stats, const process_facts& facts) {
  const auto& w = stats.writes;
  return dump(json{
      {"version", facts.version},
      {"uptime_seconds", facts.uptime.count()},
      {"threads", {{"http", facts.http_threads}, {"actors", facts.caf_threads}}},
      {"actors",
       {{"simulations", stats.simulation_actors},
        {"writers", w.writers},
        {"analytics", facts.analytics_actors}}},
      {"writer_queue",
       {{"depth", w.queued_snapshots},
        {"requests", w.queued_requests},
        {"capacity", w.capacity_snapshots},
        {"busy_writers", w.busy_writers}}},
      {"writes",
       {{"batches", w.batches_committed},
        {"failed_batches", w.batches_failed},
        {"snapshots_stored", w.snapshots_stored},
        {"duplicates", w.duplicates},
        {"rejected_queue_full", w.rejected_queue_full},
        {"rejected_database_down", w.rejected_unavailable}}},
      {"database",
       {{"state", w.database.up ? "up" : "down"},
        {"last_error", w.database.last_error},
        {"since_last_contact_ms", w.database.since_last_contact_ms}}},
  });
}

} // namespace traffic::http
