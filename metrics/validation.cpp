// The input rules of DESIGN.md section 3: every broken rule becomes one violation with its path.
#include "metrics/validation.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

namespace traffic::metrics {

namespace {

using kind = raw_value::kind;

constexpr std::string_view timestamp_message =
    "must be an RFC 3339 date-time with a zone, e.g. 2025-09-10T23:20:00Z";
constexpr std::string_view direction_message =
    "must be a compass direction: north, north_east, east, south_east, south, south_west, west "
    "or north_west";

/// Returns how a JSON kind reads in "got ..." messages.
std::string_view kind_name(kind k) {
  switch (k) {
    case kind::missing: return "nothing";
    case kind::null: return "null";
    case kind::boolean: return "a boolean";
    case kind::integer: return "an integer";
    case kind::real: return "a number";
    case kind::string: return "a string";
    case kind::array: return "an array";
    case kind::object: return "an object";
  }
  return "an unknown value";
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Returns true for 1 to max_vehicle_class_length characters of letters, digits, '_' and '-'.
bool is_valid_vehicle_class(std::string_view name) {
  if (name.empty() || name.size() > max_vehicle_class_length)
    return false;
  for (char c : name)
    if (!is_alnum(c) && c != '_' && c != '-')
      return false;
  return true;
}

/// Returns the number of UTF-8 code points in `text` (the decoder has checked the encoding).
std::size_t count_code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

/// Returns true when `text` holds a C0 or C1 control character or DEL.
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F)
      return true;
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      return true;
  }
  return false;
}

/// Returns `base.field`, or `field` alone at the top of a single snapshot.
std::string join(std::string_view base, std::string_view field) {
  std::string path(base);
  if (!path.empty())
    path += '.';
  path += field;
  return path;
}

/// Returns the path of member `key` of the object at `base`; keys that are not plain names are
/// quoted (`vehicle_counts["a b"]`) so the path stays readable.
std::string member_path(std::string_view base, std::string_view key) {
  if (is_valid_vehicle_class(key))
    return join(base, key);
  std::string path(base);
  path += "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\')
      path += '\\';
    path += c;
  }
  path += "\"]";
  return path;
}

/// A JSON path made into text only when a violation names it (most snapshots have none, and
/// building every field's path cost dozens of allocations per snapshot): `base.field`, or
/// `base` alone.
struct lazy_path {
  std::string_view base;
  std::string_view field;

  lazy_path(std::string_view b, std::string_view f) : base(b), field(f) {}
  lazy_path(const std::string& whole) : base(whole) {} // NOLINT: a whole path converts

  std::string text() const { return field.empty() ? std::string(base) : join(base, field); }
};

std::string indexed(std::string_view name, std::size_t i) {
  return std::string(name) + '[' + std::to_string(i) + ']';
}

/// Whether a number may be negative.
enum class sign_rule : std::uint8_t { non_negative, any };

/// Collects the violations of one draft; each check returns the value, or nothing after adding
/// exactly one violation.
class checker {
 public:
  explicit checker(std::vector<violation>& out) : out_(out), first_(out.size()) {}

  /// Returns true while no violation was added by this checker.
  bool clean() const { return out_.size() == first_; }

  void add(std::string path, std::string_view message) {
    out_.push_back({std::move(path), std::string(message)});
  }

  void add(const lazy_path& path, std::string_view message) { add(path.text(), message); }

  /// Checks that `v` is present and of kind `expected`, named `expected_name` in the message.
  bool require(const raw_value& v, kind expected, std::string_view expected_name,
               const lazy_path& path) {
    if (v.type == kind::missing) {
      add(path, "is required");
      return false;
    }
    if (v.type != expected) {
      add(path,
          "must be " + std::string(expected_name) + ", got " + std::string(kind_name(v.type)));
      return false;
    }
    return true;
  }

  std::optional<std::string> string_value(const raw_value& v, const lazy_path& path) {
    if (!require(v, kind::string, "a string", path))
      return std::nullopt;
    return v.text;
  }

  std::optional<bool> bool_value(const raw_value& v, const lazy_path& path) {
    if (!require(v, kind::boolean, "a boolean", path))
      return std::nullopt;
    return v.boolean;
  }

  /// Accepts an integer, or a real with an integral value in int64 range (5.0 reads as 5).
  std::optional<std::int64_t> count_value(const raw_value& v, const lazy_path& path) {
    if (!require_number(v, path))
      return std::nullopt;
    std::int64_t value = v.integer;
    if (v.type == kind::real) {
      // 2^63 is exact as a double; the range is [-2^63, 2^63).
      constexpr double limit = 9223372036854775808.0;
      if (!std::isfinite(v.real) || std::trunc(v.real) != v.real || v.real < -limit ||
          v.real >= limit) {
        add(path, "must be an integer");
        return std::nullopt;
      }
      value = static_cast<std::int64_t>(v.real);
    }
    if (value < 0) {
      add(path, "must be a non-negative integer");
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> number_value(const raw_value& v, const lazy_path& path, sign_rule sign) {
    if (!require_number(v, path))
      return std::nullopt;
    const double value = v.type == kind::integer ? static_cast<double>(v.integer) : v.real;
    if (!std::isfinite(value)) {
      add(path, "must be a finite number");
      return std::nullopt;
    }
    if (sign == sign_rule::non_negative && value < 0) {
      add(path, "must be a non-negative number");
      return std::nullopt;
    }
    return value;
  }

 private:
  bool require_number(const raw_value& v, const lazy_path& path) {
    if (v.type == kind::integer)
      return true;
    return require(v, kind::real, "a number", path);
  }

  std::vector<violation>& out_;
  std::size_t first_;
};

// The numeric fields, as tables: which draft field fills which model field under which rule.

template <class Draft, class Model>
struct count_field {
  std::string_view name;
  raw_value Draft::*raw;
  std::int64_t Model::*value;
};

template <class Draft, class Model>
struct number_field {
  std::string_view name;
  raw_value Draft::*raw;
  double Model::*value;
  sign_rule sign;
};

constexpr std::array<count_field<signal_draft, signal_state>, 3> signal_counts{{
    {"signal_timer", &signal_draft::signal_timer, &signal_state::signal_timer},
    {"vehicles_crossed", &signal_draft::vehicles_crossed, &signal_state::vehicles_crossed},
    {"green_time_allocated", &signal_draft::green_time_allocated,
     &signal_state::green_time_allocated},
}};

constexpr std::array<number_field<signal_draft, signal_state>, 1> signal_numbers{{
    {"avg_wait_time", &signal_draft::avg_wait_time, &signal_state::avg_wait_time,
     sign_rule::non_negative},
}};

constexpr std::array<count_field<metrics_draft, snapshot_metrics>, 2> metric_counts{{
    {"total_vehicles_passed", &metrics_draft::total_vehicles_passed,
     &snapshot_metrics::total_vehicles_passed},
    {"emergency_overrides", &metrics_draft::emergency_overrides,
     &snapshot_metrics::emergency_overrides},
}};

constexpr std::array<number_field<metrics_draft, snapshot_metrics>, 5> metric_numbers{{
    {"avg_wait_time_all_sides", &metrics_draft::avg_wait_time_all_sides,
     &snapshot_metrics::avg_wait_time_all_sides, sign_rule::non_negative},
    {"throughput", &metrics_draft::throughput, &snapshot_metrics::throughput,
     sign_rule::non_negative},
    {"avg_speed", &metrics_draft::avg_speed, &snapshot_metrics::avg_speed, sign_rule::non_negative},
    {"fuel_saved", &metrics_draft::fuel_saved, &snapshot_metrics::fuel_saved, sign_rule::any},
    {"co2_saved", &metrics_draft::co2_saved, &snapshot_metrics::co2_saved, sign_rule::any},
}};

/// Applies every count and number rule of the tables to `draft`, filling `model`.
template <class Draft, class Model, std::size_t Counts, std::size_t Numbers>
void check_numeric_fields(checker& check, std::string_view base, const Draft& draft, Model& model,
                          const std::array<count_field<Draft, Model>, Counts>& counts,
                          const std::array<number_field<Draft, Model>, Numbers>& numbers) {
  for (const auto& field : counts)
    if (auto value = check.count_value(draft.*field.raw, lazy_path{base, field.name}))
      model.*field.value = *value;
  for (const auto& field : numbers)
    if (auto value = check.number_value(draft.*field.raw, lazy_path{base, field.name}, field.sign))
      model.*field.value = *value;
}

std::optional<std::string> check_id(checker& check, const raw_value& v, const lazy_path& path) {
  auto id = check.string_value(v, path);
  if (id && !is_valid_id(*id)) {
    check.add(path, "must be 1 to " + std::to_string(max_id_length) +
                        " characters of letters, digits, '_', '-', '.' and ':'");
    return std::nullopt;
  }
  return id;
}

std::optional<timestamp_us> check_timestamp(checker& check, const raw_value& v,
                                            const lazy_path& path) {
  auto text = check.string_value(v, path);
  if (!text)
    return std::nullopt;
  auto t = parse_rfc3339(*text);
  if (!t)
    check.add(path, timestamp_message);
  return t;
}

/// `mode` is optional: missing and null both mean "not said".
std::optional<run_mode> check_mode(checker& check, const raw_value& v, const lazy_path& path) {
  if (v.type == kind::missing || v.type == kind::null)
    return std::nullopt;
  auto text = check.string_value(v, path);
  if (!text)
    return std::nullopt;
  auto mode = parse_run_mode(*text);
  if (!mode)
    check.add(path, "must be \"baseline\" or \"ai\"");
  return mode;
}

/// `scenario` is optional: missing and null both mean "no scenario".
std::optional<std::string> check_scenario(checker& check, const raw_value& v,
                                          const lazy_path& path) {
  if (v.type == kind::missing || v.type == kind::null)
    return std::nullopt;
  auto text = check.string_value(v, path);
  if (!text)
    return std::nullopt;
  const auto length = count_code_points(*text);
  if (length == 0 || length > max_scenario_length) {
    check.add(path, "must be 1 to " + std::to_string(max_scenario_length) + " characters");
    return std::nullopt;
  }
  if (has_control_character(*text)) {
    check.add(path, "must not contain control characters");
    return std::nullopt;
  }
  return text;
}

void check_vehicle_counts(checker& check, const signal_draft& draft, std::string_view base,
                          signal_state& state) {
  const std::string path = join(base, "vehicle_counts");
  if (!check.require(draft.vehicle_counts_shape, kind::object, "an object", path))
    return;
  if (draft.vehicle_counts.size() > max_vehicle_classes) {
    // Too many is the answer: checking each entry too (the repeat check below compares each name
    // with every earlier one) cost quadratic time and one detail per entry, so 200,000 classes
    // in one body held an I/O thread for minutes.
    check.add(path,
              "must hold at most " + std::to_string(max_vehicle_classes) + " vehicle classes");
    return;
  }
  for (std::size_t i = 0; i < draft.vehicle_counts.size(); ++i) {
    const auto& [name, raw] = draft.vehicle_counts[i];
    const bool plain = is_valid_vehicle_class(name);
    // A plain name's path is path.name; only other names need member_path's quoting.
    const std::string quoted = plain ? std::string{} : member_path(path, name);
    const lazy_path entry = plain ? lazy_path{path, name} : lazy_path{quoted};
    if (!plain)
      check.add(entry, "vehicle class must be 1 to " + std::to_string(max_vehicle_class_length) +
                           " characters of letters, digits, '_' and '-'");
    // A class named twice would be stored twice under one key.
    for (std::size_t j = 0; j < i; ++j) {
      if (draft.vehicle_counts[j].first == name) {
        check.add(entry, "repeats a vehicle class already given");
        break;
      }
    }
    if (auto count = check.count_value(raw, entry))
      state.vehicle_counts.push_back({name, *count});
  }
}

signal_state check_signal(checker& check, const signal_draft& draft, std::string_view base) {
  signal_state state;
  if (auto text = check.string_value(draft.direction, lazy_path{base, "direction"})) {
    if (auto d = parse_direction(*text))
      state.approach = *d;
    else
      check.add(lazy_path{base, "direction"}, direction_message);
  }
  check_vehicle_counts(check, draft, base, state);
  if (auto present = check.bool_value(draft.emergency_vehicle_present,
                                      lazy_path{base, "emergency_vehicle_present"}))
    state.emergency_vehicle_present = *present;
  if (auto text = check.string_value(draft.signal_status, lazy_path{base, "signal_status"})) {
    if (auto status = parse_signal_status(*text))
      state.status = *status;
    else
      check.add(lazy_path{base, "signal_status"}, "must be GREEN, YELLOW or RED");
  }
  check_numeric_fields(check, base, draft, state, signal_counts, signal_numbers);
  return state;
}

/// Returns the index of the first signal with the same direction as signal `i`, if any.
std::optional<std::size_t> earlier_same_direction(const snapshot_draft& draft, std::size_t i) {
  if (draft.signals[i].direction.type != kind::string)
    return std::nullopt;
  const auto d = parse_direction(draft.signals[i].direction.text);
  if (!d)
    return std::nullopt;
  for (std::size_t j = 0; j < i; ++j) {
    const auto& other = draft.signals[j].direction;
    if (other.type == kind::string && parse_direction(other.text) == d)
      return j;
  }
  return std::nullopt;
}

void check_signals(checker& check, const snapshot_draft& draft, std::string_view prefix,
                   snapshot& result) {
  const std::string path = join(prefix, "signals");
  if (!check.require(draft.signals_shape, kind::array, "an array", path))
    return;
  const auto n = draft.signals.size();
  if (n == 0 || n > max_signals) {
    check.add(path, "must hold 1 to " + std::to_string(max_signals) + " signals, got " +
                        std::to_string(n));
    // Too many is the answer: checking each signal too (the repeated-direction check compares
    // each with every earlier one) cost quadratic time and details without bound, so 300,000
    // signals in one body held an I/O thread for minutes.
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::string base = join(prefix, indexed("signals", i));
    if (!check.require(draft.signals[i].shape, kind::object, "an object", base))
      continue;
    result.signals.push_back(check_signal(check, draft.signals[i], base));
    if (auto j = earlier_same_direction(draft, i))
      check.add(lazy_path{base, "direction"}, "repeats the direction of " + indexed("signals", *j));
  }
}

void check_metrics(checker& check, const snapshot_draft& draft, std::string_view prefix,
                   snapshot& result) {
  const std::string base = join(prefix, "metrics");
  if (!check.require(draft.metrics_shape, kind::object, "an object", base))
    return;
  check_numeric_fields(check, base, draft.metrics, result.metrics, metric_counts, metric_numbers);
}

} // namespace

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > max_id_length)
    return false;
  for (char c : id)
    if (!is_alnum(c) && c != '_' && c != '-' && c != '.' && c != ':')
      return false;
  return true;
}

std::optional<snapshot> validate_snapshot(const snapshot_draft& draft, std::string_view path_prefix,
                                          std::vector<violation>& out) {
  checker check(out);
  if (draft.shape.type != kind::object) {
    check.add(path_prefix.empty() ? std::string("$") : std::string(path_prefix),
              "must be a JSON object");
    return std::nullopt;
  }
  snapshot result;
  if (auto id = check_id(check, draft.simulation_id, lazy_path{path_prefix, "simulation_id"}))
    result.simulation_id = std::move(*id);
  if (auto t = check_timestamp(check, draft.timestamp, lazy_path{path_prefix, "timestamp"}))
    result.timestamp = *t;
  if (auto id = check_id(check, draft.intersection_id, lazy_path{path_prefix, "intersection_id"}))
    result.intersection_id = std::move(*id);
  result.mode = check_mode(check, draft.mode, lazy_path{path_prefix, "mode"});
  result.scenario = check_scenario(check, draft.scenario, lazy_path{path_prefix, "scenario"});
  check_signals(check, draft, path_prefix, result);
  check_metrics(check, draft, path_prefix, result);
  if (!check.clean())
    return std::nullopt;
  return result;
}

} // namespace traffic::metrics
