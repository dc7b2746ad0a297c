// Properties the analytics query parser keeps for any query string: query_fuzzer checks them on
// every input, tests/unit/fuzz_regression_test.cpp on every saved one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/query_params.hpp"
#include "http/query_text.hpp"
#include "metrics/analytics_query.hpp"
#include "metrics/snapshot.hpp"
#include "metrics/snapshot_draft.hpp"
#include "metrics/timestamp.hpp"
#include "metrics/validation.hpp"

namespace traffic::fuzz {

/// Every query kind, in enum order.
inline constexpr metrics::query_kind all_query_kinds[] = {
    metrics::query_kind::summary,         metrics::query_kind::wait_times,
    metrics::query_kind::speeds,          metrics::query_kind::environmental_impact,
    metrics::query_kind::comparison,      metrics::query_kind::emergency_report,
    metrics::query_kind::time_series,     metrics::query_kind::performance_dashboard,
    metrics::query_kind::wait_time_trend, metrics::query_kind::performance_scatter,
    metrics::query_kind::simulations,
};

/// Returns the name of `kind` for messages.
inline std::string kind_name(metrics::query_kind kind) {
  constexpr std::string_view names[] = {
      "summary",         "wait_times",          "speeds",      "environmental_impact",
      "comparison",      "emergency_report",    "time_series", "performance_dashboard",
      "wait_time_trend", "performance_scatter", "simulations"};
  return std::string{names[static_cast<std::size_t>(kind)]};
}

/// Returns `text` with every byte but letters, digits and "-._~" written as %XX.
inline std::string percent_encode(std::string_view text) {
  constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  return out;
}

/// Returns the query string that asks for `q` again: every field that differs from its default,
/// in the spelling the parser documents. Fields `q.kind` does not take come out too, so a parser
/// that set one is caught when the string is parsed again.
inline std::string query_string_of(const metrics::analytics_query& q) {
  const metrics::analytics_query defaults;
  std::string out;
  const auto add = [&](std::string_view name, std::string_view value) {
    out += (out.empty() ? "" : "&") + std::string{name} + "=" + percent_encode(value);
  };
  const bool id_in_path =
      q.kind == metrics::query_kind::summary || q.kind == metrics::query_kind::time_series;
  if (q.filter.simulation_id && !id_in_path)
    add("simulation_id", *q.filter.simulation_id);
  if (q.filter.intersection_id)
    add("intersection_id", *q.filter.intersection_id);
  if (q.filter.approach)
    add("direction", metrics::to_string(*q.filter.approach));
  if (q.filter.from)
    add("from", metrics::format_rfc3339(*q.filter.from));
  if (q.filter.to)
    add("to", metrics::format_rfc3339(*q.filter.to));
  if (q.group_by != defaults.group_by)
    add("group_by", metrics::to_string(q.group_by));
  if (q.metric != defaults.metric)
    add("metric", metrics::to_string(q.metric));
  if (q.bucket_seconds != defaults.bucket_seconds)
    add("bucket", std::to_string(q.bucket_seconds) + "s");
  if (q.baseline)
    add("baseline", *q.baseline);
  if (q.ai)
    add("ai", *q.ai);
  if (q.scenario)
    add("scenario", *q.scenario);
  if (q.mode)
    add("mode", metrics::to_string(*q.mode));
  if (q.block_seconds != defaults.block_seconds)
    add("block", std::to_string(q.block_seconds) + "s");
  if (!q.simulation_ids.empty()) {
    std::string ids;
    for (const auto& id : q.simulation_ids)
      ids += (ids.empty() ? "" : ",") + id;
    add("simulation_id", ids);
  }
  if (q.by != defaults.by)
    add("by", metrics::to_string(q.by));
  if (q.limit != defaults.limit)
    add("limit", std::to_string(q.limit));
  return out;
}

/// Returns which documented rule an accepted query breaks, or nothing.
inline std::optional<std::string> broken_rule(const metrics::analytics_query& q) {
  const auto bad_id = [](const std::optional<std::string>& id) {
    return id && !metrics::is_valid_id(*id);
  };
  if (bad_id(q.filter.simulation_id) || bad_id(q.filter.intersection_id) || bad_id(q.baseline) ||
      bad_id(q.ai))
    return "an id breaks the id rule";
  if (q.filter.from && q.filter.to && *q.filter.from > *q.filter.to)
    return "from is after to";
  if (q.scenario && http::scenario_problem(*q.scenario))
    return "the scenario breaks the scenario rule";
  if (q.limit < 1 || q.limit > http::max_query_limit)
    return "limit out of range";
  for (auto seconds : {q.bucket_seconds, q.block_seconds})
    if (seconds < 1 || seconds > http::max_interval_seconds)
      return "bucket or block out of range";
  if (q.simulation_ids.size() > http::max_trend_simulations)
    return "too many trend simulations";
  for (std::size_t i = 0; i < q.simulation_ids.size(); ++i)
    if (!metrics::is_valid_id(q.simulation_ids[i]) ||
        (i > 0 && !(q.simulation_ids[i - 1] < q.simulation_ids[i])))
      return "trend ids are not valid, sorted and distinct";
  if (q.baseline && q.ai && *q.baseline == *q.ai)
    return "baseline equals ai";
  if (q.cache_key().empty())
    return "an empty cache key";
  (void)q.depends_on();
  return std::nullopt;
}

/// Returns whether ingest would accept `text` as a snapshot's scenario.
inline bool ingest_accepts_scenario(std::string_view text) {
  metrics::snapshot_draft draft;
  draft.scenario = metrics::raw_value::of_string(std::string{text});
  std::vector<metrics::violation> violations;
  metrics::validate_snapshot(draft, "", violations);
  for (const auto& v : violations)
    if (v.path == "scenario")
      return false;
  return true;
}

/// Returns whether `text` is well-formed UTF-8 (all that ingest's JSON parser lets through).
inline bool is_utf8(std::string_view text) {
  return http::scenario_problem(text) != std::optional<std::string>{"must be valid UTF-8"};
}

/// Parses `input` as every kind of query and as a clear-cache query, and returns the first broken
/// property, or nothing. Up to the first '\n' the input is the path's {id} (else "SIM_1"), the
/// rest the query string; an empty {id} stands for none. The fuzzer aborts on a broken property;
/// the regression test fails.
inline std::optional<std::string> check_query_input(std::string_view input) {
  std::optional<std::string> path_id{"SIM_1"};
  std::string_view query_string = input;
  if (auto newline = input.find('\n'); newline != std::string_view::npos) {
    path_id = std::string{input.substr(0, newline)};
    if (path_id->empty())
      path_id.reset();
    query_string = input.substr(newline + 1);
  }

  for (auto kind : all_query_kinds) {
    const std::string name = kind_name(kind) + ": ";
    const auto result = http::parse_analytics_query(kind, query_string, path_id);
    if (result.query.has_value() == !result.errors.empty())
      return name + "a query with errors, or neither";
    for (const auto& e : result.errors)
      if (e.message.empty() || e.index)
        return name + "an error without a message, or with an index";
    if (!result.query)
      continue;
    const auto& q = *result.query;
    if (q.kind != kind)
      return name + "the query has another kind";
    if (auto rule = broken_rule(q))
      return name + *rule;
    // The canonical spelling of an accepted query asks for the same thing.
    const std::string again = query_string_of(q);
    const auto reparsed = http::parse_analytics_query(kind, again, path_id);
    if (!reparsed.query)
      return name + "its canonical query string is refused (" + reparsed.errors[0].path + " " +
             reparsed.errors[0].message + "): " + again;
    if (reparsed.query->cache_key() != q.cache_key())
      return name + "its canonical query string gives another cache key: " + again;
  }

  const auto clear = http::parse_clear_cache_query(query_string);
  if (clear.simulation_id && (!clear.errors.empty() || !metrics::is_valid_id(*clear.simulation_id)))
    return std::string{"clear-cache: an id with errors, or an invalid id"};
  if (clear.simulation_id) {
    const auto again =
        http::parse_clear_cache_query("simulation_id=" + percent_encode(*clear.simulation_id));
    if (again.simulation_id != clear.simulation_id)
      return std::string{"clear-cache: the canonical query string names another id"};
  }

  // Percent-encoding then decoding gives any text back; the query text rules agree with ingest's.
  if (http::percent_decode(percent_encode(input)) != std::string{input})
    return std::string{"percent_decode does not invert percent-encoding"};
  if (auto decoded = http::percent_decode(query_string); decoded && is_utf8(*decoded)) {
    const bool query_accepts = !http::scenario_problem(*decoded);
    if (query_accepts != ingest_accepts_scenario(*decoded))
      return std::string{"a scenario name that queries and ingest judge differently"};
  }
  return std::nullopt;
}

} // namespace traffic::fuzz
