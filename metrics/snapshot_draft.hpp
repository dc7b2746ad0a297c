// A snapshot as the JSON decoder saw it, before any rule: every field keeps its JSON type, so
// the validator (pure code) can name each violation by its JSON path.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace traffic::metrics {

/// One JSON value, or its absence.
struct raw_value {
  enum class kind : std::uint8_t { missing, null, boolean, integer, real, string, array, object };

  kind type = kind::missing;
  bool boolean = false;
  std::int64_t integer = 0; ///< set when type is integer
  double real = 0;          ///< set when type is integer or real
  std::string text;         ///< set when type is string

  static raw_value of_bool(bool b) {
    raw_value v;
    v.type = kind::boolean;
    v.boolean = b;
    return v;
  }
  static raw_value of_int(std::int64_t i) {
    raw_value v;
    v.type = kind::integer;
    v.integer = i;
    v.real = static_cast<double>(i);
    return v;
  }
  static raw_value of_real(double d) {
    raw_value v;
    v.type = kind::real;
    v.real = d;
    return v;
  }
  static raw_value of_string(std::string s) {
    raw_value v;
    v.type = kind::string;
    v.text = std::move(s);
    return v;
  }
  static raw_value of_kind(kind k) {
    raw_value v;
    v.type = k;
    return v;
  }
};

/// One element of `signals`, field by field. `vehicle_counts` holds the object's members when
/// `vehicle_counts_shape` is an object.
struct signal_draft {
  raw_value shape = raw_value::of_kind(raw_value::kind::object); ///< the element itself
  raw_value direction;
  raw_value vehicle_counts_shape;
  std::vector<std::pair<std::string, raw_value>> vehicle_counts;
  raw_value emergency_vehicle_present;
  raw_value signal_status;
  raw_value signal_timer;
  raw_value vehicles_crossed;
  raw_value avg_wait_time;
  raw_value green_time_allocated;
};

/// The `metrics` object, field by field.
struct metrics_draft {
  raw_value total_vehicles_passed;
  raw_value avg_wait_time_all_sides;
  raw_value throughput;
  raw_value avg_speed;
  raw_value fuel_saved;
  raw_value co2_saved;
  raw_value emergency_overrides;
};

/// A whole snapshot document. `shape` is the document itself (it must be an object);
/// `signals_shape` and `metrics_shape` say what `signals` and `metrics` were.
struct snapshot_draft {
  raw_value shape = raw_value::of_kind(raw_value::kind::object);
  raw_value simulation_id;
  raw_value timestamp;
  raw_value intersection_id;
  raw_value mode;
  raw_value scenario;
  raw_value signals_shape;
  std::vector<signal_draft> signals;
  raw_value metrics_shape;
  metrics_draft metrics;
};

} // namespace traffic::metrics
