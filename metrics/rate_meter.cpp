// Events per second over a sliding window of wall-clock time, with the clock passed in.
#include "metrics/rate_meter.hpp"

#include <algorithm>

namespace traffic::metrics {

namespace {

/// Returns the whole second `ms` falls in, rounding down also before the clock's zero.
std::int64_t second_of(std::int64_t ms) {
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

} // namespace

void rate_meter::add(std::int64_t now_ms, std::int64_t count) {
  if (count <= 0)
    return; // no events: neither a slot nor the start of the meter
  if (first_ms_ < 0)
    first_ms_ = now_ms;
  const std::int64_t second = second_of(now_ms);
  if (!slots_.empty() && slots_.back().second == second)
    slots_.back().count += count;
  else
    slots_.push_back({second, count});
  drop_before(second - std::max<std::int64_t>(window_seconds_, 1) + 1);
}

double rate_meter::per_second(std::int64_t now_ms) const {
  const std::int64_t window = std::max<std::int64_t>(window_seconds_, 1);
  drop_before(second_of(now_ms) - window + 1);
  std::int64_t events = 0;
  for (const auto& s : slots_)
    events += s.count;
  if (events == 0)
    return 0;
  // A meter younger than its window has seen only that long; dividing by the whole window
  // would under-report it.
  const double elapsed = static_cast<double>(now_ms - first_ms_) / 1000.0;
  const double seconds = std::min(static_cast<double>(window), std::max(1.0, elapsed));
  return static_cast<double>(events) / seconds;
}

void rate_meter::drop_before(std::int64_t second) const {
  while (!slots_.empty() && slots_.front().second < second)
    slots_.pop_front();
}

} // namespace traffic::metrics
