// Turns the query string of an analytics, dashboard or chart request into a validated query.
#include "http/query_params.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>

#include "metrics/duration_text.hpp"
#include "metrics/snapshot.hpp"
#include "metrics/timestamp.hpp"
#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

using metrics::analytics_query;
using metrics::query_kind;

/// The parameters of the read endpoints. Several share a name: the rule differs by kind.
/// text_of() holds one row per enumerator, in this order.
enum class param : std::uint8_t {
  simulation_id,
  simulation_ids, ///< wait_time_trend: repeatable, comma-separated
  intersection_id,
  baseline,
  ai,
  scenario,
  direction,
  from,
  to,
  group_by,
  speed_group_by, ///< speeds: no per-direction grouping
  metric,
  bucket,
  block,
  by,
  mode,
  limit,
};

const std::string id_accepts =
    "1 to " + std::to_string(metrics::max_id_length) + " letters, digits, '_', '-', '.' or ':'";
constexpr std::string_view per_approach_note = "speeds are recorded per snapshot, not per approach";
constexpr std::string_view time_accepts =
    "an RFC 3339 date-time with a zone, e.g. 2025-09-10T23:20:00Z";
constexpr std::string_view interval_accepts = "a duration from 1s to 1d, e.g. 10s, 5m or 1h";

/// The query-string name of a parameter and what it accepts (completing "must be ...").
struct param_text {
  std::string_view name;
  std::string accepts;
};

/// Returns the name and accepted values of `p`.
const param_text& text_of(param p) {
  static const param_text table[] = {
      {"simulation_id", id_accepts},
      {"simulation_id", "simulation ids separated by commas, each " + id_accepts},
      {"intersection_id", id_accepts},
      {"baseline", id_accepts},
      {"ai", id_accepts},
      {"scenario", "1 to " + std::to_string(metrics::max_scenario_length) +
                       " characters of UTF-8 without control characters"},
      {"direction", "a compass direction: north, north_east, east, south_east, south, "
                    "south_west, west or north_west (northeast etc. also accepted)"},
      {"from", std::string{time_accepts}},
      {"to", std::string{time_accepts}},
      {"group_by", "direction, intersection, simulation or hour"},
      {"group_by", "intersection, simulation or hour (" + std::string{per_approach_note} + ")"},
      {"metric", "total_vehicles_passed, avg_wait_time_all_sides, throughput, avg_speed, "
                 "fuel_saved, co2_saved or emergency_overrides"},
      {"bucket", std::string{interval_accepts}},
      {"block", std::string{interval_accepts}},
      {"by", "simulation or intersection"},
      {"mode", "baseline or ai"},
      {"limit", "an integer from 1 to " + std::to_string(max_query_limit)},
  };
  return table[static_cast<std::size_t>(p)];
}

bool set_id(std::string_view value, std::optional<std::string>& field) {
  if (!metrics::is_valid_id(value))
    return false;
  field = std::string{value};
  return true;
}

bool set_time(std::string_view value, std::optional<metrics::timestamp_us>& field) {
  field = metrics::parse_rfc3339(value);
  return field.has_value();
}

bool set_interval(std::string_view value, std::int64_t& field) {
  auto seconds = metrics::parse_duration_seconds(value);
  if (!seconds || *seconds < 1 || *seconds > max_interval_seconds)
    return false;
  field = *seconds;
  return true;
}

bool set_group(std::string_view value, analytics_query& q, bool allow_direction) {
  auto group = metrics::parse_group_key(value);
  if (!group || *group == metrics::group_key::none ||
      (!allow_direction && *group == metrics::group_key::direction))
    return false;
  q.group_by = *group;
  return true;
}

/// Stores a parsed enumerator; false when the text named none.
template <class Enum>
bool set_parsed(std::optional<Enum> parsed, Enum& field) {
  if (parsed)
    field = *parsed;
  return parsed.has_value();
}

bool set_limit(std::string_view value, analytics_query& q) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  // from_chars takes a leading '-'; a limit is digits only.
  if (value.front() < '0' || value.front() > '9' || ec != std::errc{} ||
      end != value.data() + value.size() || n < 1 || n > max_query_limit)
    return false;
  q.limit = n;
  return true;
}

/// Appends each comma-separated id to q.simulation_ids (normalised once all are read).
bool add_ids(std::string_view value, analytics_query& q) {
  bool ok = true;
  for (std::size_t start = 0; start <= value.size();) {
    auto comma = std::min(value.find(',', start), value.size());
    auto id = value.substr(start, comma - start);
    if (metrics::is_valid_id(id))
      q.simulation_ids.emplace_back(id);
    else
      ok = false;
    start = comma + 1;
  }
  return ok;
}

/// Sets the field of `q` that `p` stands for from a non-empty value; false when it is refused.
bool apply(param p, std::string_view v, analytics_query& q) {
  switch (p) {
    case param::simulation_id: return set_id(v, q.filter.simulation_id);
    case param::simulation_ids: return add_ids(v, q);
    case param::intersection_id: return set_id(v, q.filter.intersection_id);
    case param::baseline: return set_id(v, q.baseline);
    case param::ai: return set_id(v, q.ai);
    case param::scenario:
      if (scenario_problem(v))
        return false;
      q.scenario = std::string{v};
      return true;
    case param::direction:
      q.filter.approach = metrics::parse_direction(v);
      return q.filter.approach.has_value();
    case param::from: return set_time(v, q.filter.from);
    case param::to: return set_time(v, q.filter.to);
    case param::group_by: return set_group(v, q, true);
    case param::speed_group_by: return set_group(v, q, false);
    case param::metric: return set_parsed(metrics::parse_series_metric(v), q.metric);
    case param::bucket: return set_interval(v, q.bucket_seconds);
    case param::block: return set_interval(v, q.block_seconds);
    case param::by: return set_parsed(metrics::parse_scatter_level(v), q.by);
    case param::mode: q.mode = metrics::parse_run_mode(v); return q.mode.has_value();
    case param::limit: return set_limit(v, q);
  }
  return false;
}

/// Returns the parameters `kind` accepts, in the order its error messages list them.
std::vector<param> rules_for(query_kind kind) {
  switch (kind) {
    case query_kind::summary: return {};
    case query_kind::wait_times:
      return {
          param::simulation_id, param::intersection_id, param::direction, param::from, param::to,
          param::group_by};
    case query_kind::speeds:
      return {param::simulation_id, param::intersection_id, param::from, param::to,
              param::speed_group_by};
    case query_kind::environmental_impact:
      return {param::simulation_id, param::intersection_id, param::from, param::to};
    case query_kind::comparison: return {param::baseline, param::ai, param::scenario, param::block};
    case query_kind::emergency_report:
      return {
          param::simulation_id, param::intersection_id, param::direction, param::from, param::to,
          param::limit};
    case query_kind::time_series:
      return {param::metric, param::bucket, param::intersection_id, param::from, param::to};
    case query_kind::performance_dashboard: return {param::block};
    case query_kind::wait_time_trend:
      return {param::simulation_ids, param::intersection_id, param::from, param::to, param::bucket};
    case query_kind::performance_scatter: return {param::by, param::scenario};
    case query_kind::simulations: return {param::scenario, param::mode, param::limit};
  }
  return {};
}

/// Returns the message for a parameter none of `rules` names.
std::string unknown_message(const std::vector<param>& rules, std::string_view name) {
  std::string accepted;
  for (auto rule : rules)
    accepted += (accepted.empty() ? "" : ", ") + std::string{text_of(rule).name};
  const bool speeds = std::find(rules.begin(), rules.end(), param::speed_group_by) != rules.end();
  std::string message = speeds && name == "direction" ? std::string{per_approach_note}
                                                      : std::string{"unknown parameter"};
  if (accepted.empty())
    return message + "; this endpoint accepts no query parameters";
  return message + "; this endpoint accepts " + accepted;
}

/// Applies each parameter of `query_string` that `rules` accepts to `q`, appending an error for
/// every unknown, repeated, empty or refused one. Returns how often each known name was given.
std::map<std::string, int> read_params(const std::vector<param>& rules,
                                       std::string_view query_string, analytics_query& q,
                                       std::vector<decode_detail>& errors) {
  std::map<std::string, int> seen;
  for (const auto& pair : split_query_string(query_string, errors)) {
    auto rule = std::find_if(rules.begin(), rules.end(),
                             [&](param p) { return text_of(p).name == pair.name; });
    if (rule == rules.end()) {
      errors.push_back({pair.name, unknown_message(rules, pair.name), std::nullopt});
      continue;
    }
    const int count = ++seen[pair.name];
    if (count > 1 && *rule != param::simulation_ids) {
      if (count == 2)
        errors.push_back({pair.name, "is given more than once; give it once", std::nullopt});
      continue;
    }
    if (!pair.value)
      continue; // its broken escape is already reported
    if (pair.value->empty())
      errors.push_back({pair.name, "is empty; it must be " + text_of(*rule).accepts, std::nullopt});
    else if (!apply(*rule, *pair.value, q))
      errors.push_back({pair.name, "must be " + text_of(*rule).accepts, std::nullopt});
  }
  return seen;
}

/// Applies the rules that involve more than one parameter; `seen` counts each known name.
void check_combinations(analytics_query& q, const std::map<std::string, int>& seen,
                        std::vector<decode_detail>& errors) {
  auto given = [&](const char* name) {
    return seen.count(name) > 0;
  };
  if (q.filter.from && q.filter.to && *q.filter.from > *q.filter.to)
    errors.push_back({"from", "from is after to; give from <= to", std::nullopt});
  if (q.kind == query_kind::comparison) {
    const bool by_ids = given("baseline") || given("ai");
    if (by_ids && given("scenario"))
      errors.push_back(
          {"scenario", "give either baseline and ai, or scenario, not both", std::nullopt});
    else if (given("baseline") && !given("ai"))
      errors.push_back({"ai", "is required with baseline (the AI run's simulation id)", {}});
    else if (given("ai") && !given("baseline"))
      errors.push_back({"baseline", "is required with ai (the baseline run's simulation id)", {}});
    else if (!by_ids && !given("scenario"))
      errors.push_back(
          {"baseline", "give baseline and ai (two simulation ids), or scenario", std::nullopt});
    if (q.baseline && q.ai && *q.baseline == *q.ai)
      errors.push_back({"ai", "must differ from baseline", std::nullopt});
  }
  if (q.kind == query_kind::wait_time_trend) {
    auto& ids = q.simulation_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() > max_trend_simulations)
      errors.push_back({"simulation_id",
                        "at most " + std::to_string(max_trend_simulations) +
                            " distinct simulations; got " + std::to_string(ids.size()),
                        std::nullopt});
  }
}

} // namespace

query_parse_result parse_analytics_query(metrics::query_kind kind, std::string_view query_string,
                                         std::optional<std::string> path_id) {
  query_parse_result result;
  auto& errors = result.errors;
  analytics_query q;
  q.kind = kind;
  if (kind == query_kind::summary || kind == query_kind::time_series) {
    if (!path_id)
      errors.push_back({"simulation_id", "is required in the path", std::nullopt});
    else if (!metrics::is_valid_id(*path_id))
      errors.push_back({"simulation_id", "must be " + id_accepts, std::nullopt});
    else
      q.filter.simulation_id = std::move(path_id);
  }

  const auto seen = read_params(rules_for(kind), query_string, q, errors);
  check_combinations(q, seen, errors);
  if (errors.empty())
    result.query = std::move(q);
  return result;
}

clear_cache_query parse_clear_cache_query(std::string_view query_string) {
  clear_cache_query result;
  analytics_query scratch;
  read_params({param::simulation_id}, query_string, scratch, result.errors);
  if (result.errors.empty())
    result.simulation_id = std::move(scratch.filter.simulation_id);
  return result;
}

} // namespace traffic::http
