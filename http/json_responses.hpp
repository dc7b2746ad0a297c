// JSON bodies of every answer the server gives: values, and the one error shape.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "actors/messages.hpp"
#include "http/report_json.hpp" // summary_body and the other answers
#include "http/snapshot_codec.hpp"
#include "metrics/simulation_summary.hpp"

namespace traffic::http {

/// Returns {"error":{"code","message","details":[...]},"request_id"}.
std::string error_body(std::string_view code, std::string_view message,
                       const std::vector<decode_detail>& details, std::string_view request_id);

/// Returns {"stored":n,"duplicates":d}.
std::string ingest_ack_body(const actors::ingest_ack& ack);

/// Returns {"status":"ok"|"degraded","database":"up"|"down"|"unknown",...}.
std::string health_body(const actors::database_health* health, std::string_view version,
                        std::chrono::seconds uptime);

/// Facts about the process that only main knows.
struct process_facts {
  std::string version;
  std::chrono::seconds uptime{0};
  int http_threads = 0;
  int caf_threads = 0;
  int analytics_actors = 0;
};

/// Returns the /system/info body: process facts, actor counts, writer queue and batch stats,
/// database state, and the cache's counters (with hit_ratio = hits / (hits + misses), 0 before
/// any lookup).
std::string system_info_body(const actors::system_stats& stats, const process_facts& facts);

} // namespace traffic::http
