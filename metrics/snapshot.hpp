// The validated snapshot model: what a simulator reported for one intersection at one instant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/timestamp.hpp"

namespace traffic::metrics {

/// The eight compass approaches of an intersection.
enum class direction : std::uint8_t {
  north,
  north_east,
  east,
  south_east,
  south,
  south_west,
  west,
  north_west,
};

/// The lamp an approach shows.
enum class signal_status : std::uint8_t { green, yellow, red };

/// How the signals of a run are controlled.
enum class run_mode : std::uint8_t { baseline, ai };

/// Returns the canonical spelling of `d` ("north_east", never "northeast").
std::string_view to_string(direction d);

/// Returns "GREEN", "YELLOW" or "RED".
std::string_view to_string(signal_status s);

/// Returns "baseline" or "ai".
std::string_view to_string(run_mode m);

/// Parses a compass word: "north_east" and "northeast" both give north_east; case-insensitive.
std::optional<direction> parse_direction(std::string_view text);

/// Parses "GREEN", "yellow", "Red", ... (any case).
std::optional<signal_status> parse_signal_status(std::string_view text);

/// Parses "baseline" or "ai" (any case).
std::optional<run_mode> parse_run_mode(std::string_view text);

/// One vehicle class and how many of it wait at an approach. Unknown classes are kept.
struct vehicle_count {
  std::string vehicle_class;
  std::int64_t count = 0;

  friend bool operator==(const vehicle_count& a, const vehicle_count& b) {
    return a.vehicle_class == b.vehicle_class && a.count == b.count;
  }
};

/// The state of one approach (direction) of an intersection.
struct signal_state {
  direction approach = direction::north;
  std::vector<vehicle_count> vehicle_counts; ///< by class name (a repeated name: the last wins)
  bool emergency_vehicle_present = false;
  signal_status status = signal_status::red;
  std::int64_t signal_timer = 0;         ///< seconds left in the current phase
  std::int64_t vehicles_crossed = 0;     ///< vehicles that crossed since the previous snapshot
  double avg_wait_time = 0;              ///< seconds
  std::int64_t green_time_allocated = 0; ///< seconds
};

/// Intersection-wide figures of one snapshot.
struct snapshot_metrics {
  std::int64_t total_vehicles_passed = 0;
  double avg_wait_time_all_sides = 0; ///< seconds
  double throughput = 0;              ///< vehicles per second
  double avg_speed = 0;               ///< km/h
  double fuel_saved = 0;              ///< litres; negative means more fuel burnt
  double co2_saved = 0;               ///< kg; negative means more emitted
  std::int64_t emergency_overrides = 0;
};

/// One validated snapshot. Its identity is (simulation_id, intersection_id, timestamp).
struct snapshot {
  std::string simulation_id;
  std::string intersection_id;
  timestamp_us timestamp = 0;
  std::optional<run_mode> mode;
  std::optional<std::string> scenario;
  std::vector<signal_state> signals; ///< 1 to 16, distinct directions
  snapshot_metrics metrics;
};

} // namespace traffic::metrics
