// Query-string names of the analytics enums, and each query's cache key and dependencies.
#include "metrics/analytics_query.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

namespace traffic::metrics {

namespace {

constexpr std::array<std::string_view, 5> group_names{"none", "direction", "intersection",
                                                      "simulation", "hour"};

constexpr std::array<std::string_view, 7> metric_names{"total_vehicles_passed",
                                                       "avg_wait_time_all_sides",
                                                       "throughput",
                                                       "avg_speed",
                                                       "fuel_saved",
                                                       "co2_saved",
                                                       "emergency_overrides"};

constexpr std::array<std::string_view, 2> level_names{"simulation", "intersection"};

constexpr std::array<std::string_view, 11> kind_names{
    "summary",         "wait_times",          "speeds",      "environmental_impact",
    "comparison",      "emergency_report",    "time_series", "performance_dashboard",
    "wait_time_trend", "performance_scatter", "simulations"};

/// Returns names[i], or "" for an out-of-range enum value (a cast from a bad integer).
template <std::size_t N>
std::string_view name_at(const std::array<std::string_view, N>& names, std::size_t i) {
  return i < N ? names[i] : std::string_view{};
}

/// Returns the index of `text` among names[first..], exact match, or nothing.
template <std::size_t N>
std::optional<std::size_t> index_of(const std::array<std::string_view, N>& names,
                                    std::string_view text, std::size_t first = 0) {
  for (std::size_t i = first; i < N; ++i)
    if (names[i] == text)
      return i;
  return std::nullopt;
}

constexpr std::string_view unset = "~";

/// Writes "name=value;" fields. Strings are length-prefixed ("5:hello") and unset values are
/// "~", so a value holding '=', ';' or ':' cannot be mistaken for a field boundary and no two
/// different queries share a key.
class key_writer {
 public:
  explicit key_writer(std::string_view kind) { field("kind").append(kind).push_back(';'); }

  key_writer& text(std::string_view name, const std::optional<std::string>& value) {
    if (value)
      string_value(field(name), *value);
    else
      field(name).append(unset);
    key_.push_back(';');
    return *this;
  }

  key_writer& number(std::string_view name, const std::optional<std::int64_t>& value) {
    if (value)
      field(name).append(std::to_string(*value));
    else
      field(name).append(unset);
    key_.push_back(';');
    return *this;
  }

  /// Writes a name from a fixed set of spellings (or "~" for unset), which never contain
  /// separators.
  key_writer& word(std::string_view name, std::string_view value) {
    field(name).append(value).push_back(';');
    return *this;
  }

  /// Writes a set of strings: sorted and distinct, whatever order they came in.
  key_writer& set(std::string_view name, std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    field(name).append(std::to_string(values.size()));
    for (const auto& value : values)
      string_value(key_.append(","), value);
    key_.push_back(';');
    return *this;
  }

  key_writer& filter(const query_filter& f, bool with_approach) {
    text("simulation_id", f.simulation_id).text("intersection_id", f.intersection_id);
    if (with_approach)
      word("direction", f.approach ? to_string(*f.approach) : unset);
    return number("from", f.from).number("to", f.to);
  }

  std::string take() { return std::move(key_); }

 private:
  std::string& field(std::string_view name) { return key_.append(name).append("="); }

  static void string_value(std::string& out, const std::string& value) {
    out.append(std::to_string(value.size())).append(":").append(value);
  }

  std::string key_;
};

} // namespace

std::string_view to_string(group_key g) {
  return name_at(group_names, static_cast<std::size_t>(g));
}

std::string_view to_string(series_metric m) {
  return name_at(metric_names, static_cast<std::size_t>(m));
}

std::string_view to_string(scatter_level s) {
  return name_at(level_names, static_cast<std::size_t>(s));
}

std::optional<group_key> parse_group_key(std::string_view text) {
  // "none" is what an absent group_by means; it is not a spelling a request may use.
  if (auto i = index_of(group_names, text, 1))
    return static_cast<group_key>(*i);
  return std::nullopt;
}

std::optional<series_metric> parse_series_metric(std::string_view text) {
  if (auto i = index_of(metric_names, text))
    return static_cast<series_metric>(*i);
  return std::nullopt;
}

std::optional<scatter_level> parse_scatter_level(std::string_view text) {
  if (auto i = index_of(level_names, text))
    return static_cast<scatter_level>(*i);
  return std::nullopt;
}

std::string analytics_query::cache_key() const {
  key_writer key{name_at(kind_names, static_cast<std::size_t>(kind))};
  switch (kind) {
    case query_kind::summary: key.text("simulation_id", filter.simulation_id); break;
    case query_kind::wait_times:
      key.filter(filter, true).word("group_by", to_string(group_by));
      break;
    case query_kind::speeds: key.filter(filter, false).word("group_by", to_string(group_by)); break;
    case query_kind::environmental_impact: key.filter(filter, false); break;
    case query_kind::comparison:
      key.text("baseline", baseline).text("ai", ai).text("scenario", scenario);
      key.number("block_seconds", block_seconds);
      break;
    case query_kind::emergency_report: key.filter(filter, true).number("limit", limit); break;
    case query_kind::time_series:
      key.filter(filter, false).word("metric", to_string(metric));
      key.number("bucket_seconds", bucket_seconds);
      break;
    case query_kind::performance_dashboard: key.number("block_seconds", block_seconds); break;
    case query_kind::wait_time_trend:
      key.set("simulation_ids", simulation_ids).text("intersection_id", filter.intersection_id);
      key.number("from", filter.from).number("to", filter.to);
      key.number("bucket_seconds", bucket_seconds);
      break;
    case query_kind::performance_scatter:
      key.word("by", to_string(by)).text("scenario", scenario);
      break;
    case query_kind::simulations:
      key.text("scenario", scenario)
          .word("mode", mode ? to_string(*mode) : unset)
          .number("limit", limit);
      break;
  }
  return key.take();
}

std::vector<std::string> analytics_query::depends_on() const {
  std::vector<std::string> ids;
  switch (kind) {
    case query_kind::summary:
    case query_kind::time_series:
    case query_kind::wait_times:
    case query_kind::speeds:
    case query_kind::environmental_impact:
    case query_kind::emergency_report:
      // Without a simulation filter the answer covers every simulation.
      if (filter.simulation_id)
        ids.push_back(*filter.simulation_id);
      break;
    case query_kind::comparison:
      // By ids (which win over a scenario, as the reader does) only those two runs count; by
      // scenario any run may join or leave it, so everything does.
      if (baseline && ai)
        ids = {*baseline, *ai};
      break;
    case query_kind::wait_time_trend: ids = simulation_ids; break; // empty: every simulation
    case query_kind::performance_dashboard:
    case query_kind::performance_scatter:
    case query_kind::simulations: break;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

} // namespace traffic::metrics
