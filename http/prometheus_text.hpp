// The GET /metrics body: every counter of the server in the Prometheus text format 0.0.4.
#pragma once

#include <cstdint>
#include <string>

#include "actors/messages.hpp"
#include "http/http_metrics.hpp"

namespace traffic::http {

/// The media type of the Prometheus text exposition format.
inline constexpr const char* prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// What a scrape reports besides the actors' statistics.
struct scrape_facts {
  std::string version;
  double start_time_seconds = 0;       ///< Unix time the process started
  std::int64_t active_simulations = 0; ///< from the live-metrics actor
};

/// Returns the exposition: process facts, HTTP counters, ingest and writer counters and
/// histograms, database state, cache counters and actor counts. Names follow Prometheus
/// conventions (base units, _total on counters).
std::string render_prometheus(const actors::system_stats& stats, const scrape_facts& facts,
                              const http_metrics& http);

} // namespace traffic::http
