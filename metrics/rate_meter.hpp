// Events per second over a sliding window of wall-clock time, with the clock passed in.
#pragma once

#include <cstdint>
#include <deque>

namespace traffic::metrics {

/// Counts events in one-second slots and answers the rate over the last `window_seconds`
/// slots. Times are milliseconds of any monotonic clock; they must not go backwards.
class rate_meter {
 public:
  explicit rate_meter(std::int64_t window_seconds = 10) : window_seconds_{window_seconds} {}

  /// Records `count` events at `now_ms`.
  void add(std::int64_t now_ms, std::int64_t count);

  /// Returns events per second over the window ending at `now_ms`: the events of the last
  /// window_seconds slots divided by window_seconds, or by the time since the first event when
  /// that is shorter (but at least one second), so a fresh meter is not under-reported.
  double per_second(std::int64_t now_ms) const;

 private:
  struct slot {
    std::int64_t second = 0;
    std::int64_t count = 0;
  };
  void drop_before(std::int64_t second) const;

  std::int64_t window_seconds_;
  std::int64_t first_ms_ = -1;
  mutable std::deque<slot> slots_;
};

} // namespace traffic::metrics
