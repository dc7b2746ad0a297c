// Emergency episodes summed up per intersection and overall.
#include "metrics/emergency.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <utility>

namespace traffic::metrics {

namespace {

/// Sums that become an emergency_stats once every episode is in.
struct stats_builder {
  std::int64_t episodes = 0;
  std::int64_t episodes_with_green = 0;
  double total_duration = 0;
  double max_duration = 0;
  double total_time_to_green = 0;
  double max_time_to_green = 0;
  std::int64_t overrides = 0;

  void add(const emergency_episode& episode) {
    const double duration = episode.duration_seconds();
    max_duration = episodes == 0 ? duration : std::max(max_duration, duration);
    total_duration += duration;
    ++episodes;
    if (auto to_green = episode.time_to_green_seconds()) {
      max_time_to_green =
          episodes_with_green == 0 ? *to_green : std::max(max_time_to_green, *to_green);
      total_time_to_green += *to_green;
      ++episodes_with_green;
    }
  }

  emergency_stats finish() const {
    emergency_stats s;
    s.episodes = episodes;
    s.episodes_with_green = episodes_with_green;
    s.total_duration_seconds = total_duration;
    if (episodes > 0) {
      s.mean_duration_seconds = total_duration / static_cast<double>(episodes);
      s.max_duration_seconds = max_duration;
    }
    if (episodes_with_green > 0) {
      s.mean_time_to_green_seconds = total_time_to_green / static_cast<double>(episodes_with_green);
      s.max_time_to_green_seconds = max_time_to_green;
    }
    s.overrides = overrides;
    return s;
  }
};

using pair_key = std::pair<std::string, std::string>; ///< (simulation, intersection)

/// Orders episodes by (start, simulation, intersection, approach).
bool listed_before(const emergency_episode& a, const emergency_episode& b) {
  return std::tie(a.start, a.simulation_id, a.intersection_id, a.approach) <
         std::tie(b.start, b.simulation_id, b.intersection_id, b.approach);
}

} // namespace

emergency_report summarise_emergencies(std::vector<emergency_episode> episodes,
                                       const std::vector<intersection_overrides>& overrides,
                                       std::size_t list_limit) {
  std::map<pair_key, stats_builder> per_pair; // map order is the report's order
  stats_builder totals;
  for (const auto& episode : episodes) {
    per_pair[{episode.simulation_id, episode.intersection_id}].add(episode);
    totals.add(episode);
  }
  for (const auto& o : overrides) {
    totals.overrides += o.overrides;
    per_pair[{o.simulation_id, o.intersection_id}].overrides += o.overrides;
  }

  emergency_report report;
  for (const auto& [key, builder] : per_pair) {
    // A pair known only from overrides that sum to zero has nothing to show.
    if (builder.episodes == 0 && builder.overrides == 0)
      continue;
    report.per_intersection.push_back({key.first, key.second, builder.finish()});
  }
  report.totals = totals.finish();

  std::stable_sort(episodes.begin(), episodes.end(), listed_before);
  if (episodes.size() > list_limit) {
    episodes.erase(episodes.begin() + static_cast<std::ptrdiff_t>(list_limit), episodes.end());
    report.episodes_truncated = true;
  }
  report.episodes = std::move(episodes);
  return report;
}

} // namespace traffic::metrics
