// JSON bodies of every answer the server gives: values, and the one error shape.
#include "http/json_responses.hpp"

#include "http/report_json_detail.hpp"

namespace traffic::http {

using detail::dump;
using detail::json;

namespace {

/// Returns the cache's counters and its hit ratio (0 before any lookup).
json cache_of(const actors::cache_stats& c) {
  const auto lookups = c.hits + c.misses;
  return json{
      {"entries", c.entries},
      {"bytes", c.bytes},
      {"capacity_bytes", c.capacity_bytes},
      {"ttl_ms", c.ttl_ms},
      {"hits", c.hits},
      {"misses", c.misses},
      {"hit_ratio", lookups > 0 ? static_cast<double>(c.hits) / static_cast<double>(lookups) : 0.0},
      {"evictions", c.evictions},
      {"expirations", c.expirations},
      {"invalidations", c.invalidations},
      {"in_flight", c.in_flight}};
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
      {"cache", cache_of(stats.cache)},
  });
}

} // namespace traffic::http
