// JSON bodies of the analytics, dashboard, chart and run answers.
#pragma once

#include <optional>
#include <string>

#include "actors/messages.hpp"
#include "metrics/reports.hpp"
#include "metrics/simulation_summary.hpp"

namespace traffic::http {

/// Returns the body of any analytics answer: snake_case keys, timestamps as RFC 3339 text,
/// durations in seconds, null for unset values and for non-finite numbers.
std::string answer_body(const metrics::analytics_answer& answer);

/// Returns the summary of one run: its totals and means, per-direction figures (mean wait,
/// vehicles crossed, green time allocated and its share, share of GREEN samples) and the
/// vehicle class mix.
std::string summary_body(const metrics::simulation_summary& summary);

/// Returns {"simulation_id","mode","scenario","first_timestamp","last_timestamp","snapshots",
/// "first_seen","last_seen"}, the answer of PUT /api/v1/simulations/{id}.
std::string simulation_info_body(const metrics::simulation_info& info);

/// Returns the live dashboard: every simulation with its rolling means, and the global rates.
std::string live_metrics_body(const actors::live_metrics& live);

/// Returns the live view as one Server-Sent Event: "event: live", the body of
/// live_metrics_body as its data line, and the blank line that ends it.
std::string live_metrics_event(const actors::live_metrics& live);

/// Returns {"cleared":{"entries","bytes"},"simulation_id":id|null}: what a clear-cache removed,
/// and for which simulation (null: the whole cache).
std::string cache_cleared_body(const actors::cache_cleared& cleared,
                               const std::optional<std::string>& simulation_id);

} // namespace traffic::http
