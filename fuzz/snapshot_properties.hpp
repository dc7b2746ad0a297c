// Properties the ingest decoder keeps for any body: snapshot_fuzzer checks them on every input,
// tests/unit/fuzz_regression_test.cpp on every saved one.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/snapshot_codec.hpp"
#include "metrics/snapshot.hpp"
#include "metrics/timestamp.hpp"
#include "metrics/validation.hpp"

namespace traffic::fuzz {

/// Returns `text` as a JSON string literal (the text is valid UTF-8: the decoder checked it).
inline std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + '"';
}

/// Returns `value` as a JSON number that reads back as the same double (never inf or NaN here).
inline std::string json_number(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

inline std::string json_number(std::int64_t value) {
  return std::to_string(value);
}

/// Returns `s` as one line of JSON in the ingest format, which decodes back to `s`.
inline std::string encode_snapshot(const metrics::snapshot& s) {
  std::string out = "{\"simulation_id\":" + json_string(s.simulation_id) +
                    ",\"timestamp\":" + json_string(metrics::format_rfc3339(s.timestamp)) +
                    ",\"intersection_id\":" + json_string(s.intersection_id);
  if (s.mode)
    out += ",\"mode\":" + json_string(metrics::to_string(*s.mode));
  if (s.scenario)
    out += ",\"scenario\":" + json_string(*s.scenario);
  out += ",\"signals\":[";
  for (std::size_t i = 0; i < s.signals.size(); ++i) {
    const auto& signal = s.signals[i];
    out += i == 0 ? "{" : ",{";
    out += "\"direction\":" + json_string(metrics::to_string(signal.approach));
    out += ",\"vehicle_counts\":{";
    for (std::size_t k = 0; k < signal.vehicle_counts.size(); ++k)
      out += (k == 0 ? "" : ",") + json_string(signal.vehicle_counts[k].vehicle_class) + ":" +
             json_number(signal.vehicle_counts[k].count);
    out += "},\"emergency_vehicle_present\":";
    out += signal.emergency_vehicle_present ? "true" : "false";
    out += ",\"signal_status\":" + json_string(metrics::to_string(signal.status));
    out += ",\"signal_timer\":" + json_number(signal.signal_timer);
    out += ",\"vehicles_crossed\":" + json_number(signal.vehicles_crossed);
    out += ",\"avg_wait_time\":" + json_number(signal.avg_wait_time);
    out += ",\"green_time_allocated\":" + json_number(signal.green_time_allocated) + "}";
  }
  const auto& m = s.metrics;
  out += "],\"metrics\":{\"total_vehicles_passed\":" + json_number(m.total_vehicles_passed) +
         ",\"avg_wait_time_all_sides\":" + json_number(m.avg_wait_time_all_sides) +
         ",\"throughput\":" + json_number(m.throughput) +
         ",\"avg_speed\":" + json_number(m.avg_speed) +
         ",\"fuel_saved\":" + json_number(m.fuel_saved) +
         ",\"co2_saved\":" + json_number(m.co2_saved) +
         ",\"emergency_overrides\":" + json_number(m.emergency_overrides) + "}}";
  return out;
}

/// Returns the first field in which `a` and `b` differ, or nothing when they are equal.
inline std::optional<std::string> snapshot_difference(const metrics::snapshot& a,
                                                      const metrics::snapshot& b) {
  if (a.simulation_id != b.simulation_id)
    return "simulation_id";
  if (a.intersection_id != b.intersection_id)
    return "intersection_id";
  if (a.timestamp != b.timestamp)
    return "timestamp";
  if (a.mode != b.mode)
    return "mode";
  if (a.scenario != b.scenario)
    return "scenario";
  if (a.signals.size() != b.signals.size())
    return "signals (count)";
  for (std::size_t i = 0; i < a.signals.size(); ++i) {
    const auto& x = a.signals[i];
    const auto& y = b.signals[i];
    if (x.approach != y.approach || x.vehicle_counts != y.vehicle_counts ||
        x.emergency_vehicle_present != y.emergency_vehicle_present || x.status != y.status ||
        x.signal_timer != y.signal_timer || x.vehicles_crossed != y.vehicles_crossed ||
        x.avg_wait_time != y.avg_wait_time || x.green_time_allocated != y.green_time_allocated)
      return "signals[" + std::to_string(i) + "]";
  }
  const auto& m = a.metrics;
  const auto& n = b.metrics;
  if (m.total_vehicles_passed != n.total_vehicles_passed ||
      m.avg_wait_time_all_sides != n.avg_wait_time_all_sides || m.throughput != n.throughput ||
      m.avg_speed != n.avg_speed || m.fuel_saved != n.fuel_saved || m.co2_saved != n.co2_saved ||
      m.emergency_overrides != n.emergency_overrides)
    return "metrics";
  return std::nullopt;
}

/// Returns which input rule (DESIGN.md section 3) an accepted snapshot breaks, or nothing.
inline std::optional<std::string> broken_rule(const metrics::snapshot& s) {
  if (!metrics::is_valid_id(s.simulation_id) || !metrics::is_valid_id(s.intersection_id))
    return "an id breaks the id rule";
  if (s.scenario && (s.scenario->empty() || s.scenario->size() > 4 * metrics::max_scenario_length))
    return "the scenario has a bad length";
  if (s.signals.empty() || s.signals.size() > metrics::max_signals)
    return "signals has a bad count";
  for (std::size_t i = 0; i < s.signals.size(); ++i) {
    const auto& signal = s.signals[i];
    for (std::size_t j = 0; j < i; ++j)
      if (s.signals[j].approach == signal.approach)
        return "two signals share a direction";
    if (signal.vehicle_counts.size() > metrics::max_vehicle_classes)
      return "too many vehicle classes";
    for (const auto& count : signal.vehicle_counts)
      if (count.count < 0 || count.vehicle_class.empty())
        return "a vehicle count is negative or unnamed";
    if (signal.signal_timer < 0 || signal.vehicles_crossed < 0 || signal.green_time_allocated < 0)
      return "a signal count is negative";
    if (!std::isfinite(signal.avg_wait_time) || signal.avg_wait_time < 0)
      return "avg_wait_time is negative or not finite";
  }
  const auto& m = s.metrics;
  if (m.total_vehicles_passed < 0 || m.emergency_overrides < 0)
    return "a metrics count is negative";
  for (double v : {m.avg_wait_time_all_sides, m.throughput, m.avg_speed})
    if (!std::isfinite(v) || v < 0)
      return "a non-negative metric is negative or not finite";
  if (!std::isfinite(m.fuel_saved) || !std::isfinite(m.co2_saved))
    return "a metric is not finite";
  return std::nullopt;
}

/// Returns what is wrong with `out`, the answer of one decode, or nothing. `batch`: it came from
/// decode_batch.
inline std::optional<std::string> broken_answer(const http::decoded_body& out, bool batch) {
  using outcome = http::decoded_body::outcome;
  switch (out.result) {
    case outcome::ok:
      if (out.snapshots.empty() || !out.details.empty() || !out.message.empty())
        return "ok without snapshots, or with a message or details";
      if (!batch && out.snapshots.size() != 1)
        return "a single snapshot decoded to " + std::to_string(out.snapshots.size());
      if (out.snapshots.size() > http::max_batch_snapshots)
        return "more snapshots than a batch may hold";
      for (std::size_t i = 0; i < out.snapshots.size(); ++i)
        if (auto rule = broken_rule(out.snapshots[i]))
          return "accepted snapshot " + std::to_string(i) + ": " + *rule;
      return std::nullopt;
    case outcome::malformed:
    case outcome::invalid:
      if (!out.snapshots.empty() || out.message.empty() || out.details.empty())
        return "a refusal with snapshots, or without a message or details";
      for (const auto& d : out.details) {
        if (d.path.empty() || d.message.empty())
          return "a detail without a path or message";
        if (!batch && d.index)
          return "a single snapshot's detail names a batch index";
        if (d.index && d.path.rfind("[" + std::to_string(*d.index) + "]", 0) != 0)
          return "detail path " + d.path + " does not start with its index";
      }
      return std::nullopt;
    case outcome::too_many:
      if (!batch || !out.snapshots.empty() || out.message.empty() || !out.details.empty())
        return "too_many for a single snapshot, or with snapshots or details";
      return std::nullopt;
  }
  return "an outcome outside the enum";
}

/// Returns what goes wrong when `s`, once accepted, is written out and decoded again by every
/// route (single, array, NDJSON), or nothing when each gives `s` back.
inline std::optional<std::string> broken_round_trip(const metrics::snapshot& s) {
  const std::string line = encode_snapshot(s);
  const http::decoded_body answers[] = {http::decode_single(line),
                                        http::decode_batch("[" + line + "]", false),
                                        http::decode_batch(line + "\n", true)};
  for (const auto& again : answers) {
    if (again.result != http::decoded_body::outcome::ok || again.snapshots.size() != 1) {
      std::string why = again.details.empty()
                            ? again.message
                            : again.details[0].path + " " + again.details[0].message;
      return "re-encoded snapshot is refused (" + why + "): " + line;
    }
    if (auto field = snapshot_difference(s, again.snapshots[0]))
      return "re-encoded snapshot differs in " + *field + ": " + line;
  }
  return std::nullopt;
}

/// Decodes `body` as each ingest route would (one snapshot, a JSON array, NDJSON) and returns
/// the first broken property, or nothing. The fuzzer aborts on one; the regression test fails.
inline std::optional<std::string> check_snapshot_body(std::string_view body) {
  const auto single = http::decode_single(body);
  if (auto broken = broken_answer(single, false))
    return "decode_single: " + *broken;
  if (single.result == http::decoded_body::outcome::ok)
    if (auto broken = broken_round_trip(single.snapshots[0]))
      return "decode_single: " + *broken;
  for (bool ndjson : {false, true}) {
    const auto batch = http::decode_batch(body, ndjson);
    const std::string route = ndjson ? "decode_batch(ndjson): " : "decode_batch(array): ";
    if (auto broken = broken_answer(batch, true))
      return route + *broken;
    // Round-trip a few: the first and the last (a batch of 10000 would be slow to redo).
    if (batch.result == http::decoded_body::outcome::ok) {
      for (std::size_t i : {std::size_t{0}, batch.snapshots.size() - 1})
        if (auto broken = broken_round_trip(batch.snapshots[i]))
          return route + *broken;
    }
  }
  return std::nullopt;
}

} // namespace traffic::fuzz
