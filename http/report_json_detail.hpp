// JSON building blocks of the encoders in http/: numbers that are never NaN, optionals,
// timestamps, and one encoder per answer type.
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "metrics/reports.hpp"
#include "metrics/snapshot.hpp"
#include "metrics/timestamp.hpp"

namespace traffic::http::detail {

using json = nlohmann::json;

/// Returns `v`, or null when it is NaN or infinite (explicitly, rather than relying on the
/// serializer, so no non-finite value ever reaches a body).
inline json number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

/// Returns the finite value of `v`, or null.
inline json number(const std::optional<double>& v) {
  return v ? number(*v) : json(nullptr);
}

/// Returns the text, or null.
inline json optional_text(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

/// Returns "baseline", "ai" or null.
inline json mode_of(const std::optional<metrics::run_mode>& mode) {
  return mode ? json(std::string{metrics::to_string(*mode)}) : json(nullptr);
}

/// Returns the instant as RFC 3339 text.
inline json time_of(metrics::timestamp_us t) {
  return metrics::format_rfc3339(t);
}

/// Returns the compact text of `doc`.
inline std::string dump(const json& doc) {
  // Replace invalid UTF-8 instead of throwing: bodies may echo client text.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Return the JSON of each answer type (report_json.cpp and report_json_dashboard.cpp).
json encode(const metrics::simulation_summary& summary);
json encode(const metrics::distribution_report& report);
json encode(const metrics::environmental_report& report);
json encode(const metrics::emergency_report& report);
json encode(const metrics::time_series& series);
json encode(const metrics::trend_chart& chart);
json encode(const metrics::scatter_chart& chart);
json encode(const metrics::comparison_report& report);
json encode(const metrics::performance_dashboard& dashboard);
json encode(const metrics::simulation_info& info);
json encode(const metrics::simulation_list& list);

} // namespace traffic::http::detail
