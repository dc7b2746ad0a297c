// Sums a batch of stored snapshots into rollup rows.
#include "metrics/batch_rollup.hpp"

#include <map>
#include <tuple>
#include <utility>

namespace traffic::metrics {

namespace {

constexpr timestamp_us minute_us = 60'000'000;

/// Moves the values of a key-ordered map into a vector.
template <class Map>
auto values_of(Map& map) {
  std::vector<typename Map::mapped_type> out;
  out.reserve(map.size());
  for (auto& entry : map)
    out.push_back(std::move(entry.second));
  return out;
}

void add_minute(minute_totals& m, const snapshot& s) {
  const bool first = m.snapshots == 0;
  const auto& f = s.metrics;
  ++m.snapshots;
  m.wait.add(f.avg_wait_time_all_sides, first);
  m.speed.add(f.avg_speed, first);
  m.throughput.add(f.throughput, first);
  m.vehicles.add(f.total_vehicles_passed, first);
  m.fuel.add(f.fuel_saved, first);
  m.co2.add(f.co2_saved, first);
  m.overrides.add(f.emergency_overrides, first);
}

void add_run(run_totals& r, const snapshot& s) {
  if (r.snapshots == 0 || s.timestamp < r.first_timestamp)
    r.first_timestamp = s.timestamp;
  if (r.snapshots == 0 || s.timestamp > r.last_timestamp)
    r.last_timestamp = s.timestamp;
  ++r.snapshots;
  if (s.mode)
    r.mode = s.mode;
  if (s.scenario)
    r.scenario = s.scenario;
}

} // namespace

timestamp_us minute_of(timestamp_us t) {
  auto q = t / minute_us;
  if (t % minute_us < 0)
    --q; // floor, not truncation, before 1970
  return q * minute_us;
}

batch_rollup rollup_batch(const std::vector<const snapshot*>& batch,
                          const std::vector<int>& stored) {
  // Ordered maps: the rows come out sorted by key. Keys point into `batch`, which outlives
  // the maps.
  using minute_key = std::tuple<std::string_view, std::string_view, timestamp_us>;
  std::map<minute_key, minute_totals> minutes;
  std::map<std::pair<std::string_view, direction>, direction_totals> directions;
  std::map<std::pair<std::string_view, std::string_view>, vehicle_class_totals> classes;
  std::map<std::string_view, run_totals> runs;

  for (int index : stored) {
    const auto& s = *batch.at(static_cast<std::size_t>(index));
    const std::string_view run = s.simulation_id;
    const auto minute = minute_of(s.timestamp);
    auto [m, new_minute] = minutes.try_emplace({run, s.intersection_id, minute});
    if (new_minute) {
      m->second.simulation_id = s.simulation_id;
      m->second.intersection_id = s.intersection_id;
      m->second.minute = minute;
    }
    add_minute(m->second, s);

    for (const auto& g : s.signals) {
      auto [d, new_direction] = directions.try_emplace({run, g.approach});
      if (new_direction) {
        d->second.simulation_id = s.simulation_id;
        d->second.approach = g.approach;
      }
      auto& t = d->second;
      ++t.samples;
      t.wait_sum += g.avg_wait_time;
      t.vehicles_crossed += g.vehicles_crossed;
      t.green_time_allocated += g.green_time_allocated;
      if (g.status == signal_status::green)
        ++t.green_samples;
      for (const auto& vc : g.vehicle_counts) {
        auto [c, new_class] = classes.try_emplace({run, vc.vehicle_class});
        if (new_class) {
          c->second.simulation_id = s.simulation_id;
          c->second.vehicle_class = vc.vehicle_class;
        }
        c->second.vehicles += vc.count;
      }
    }

    auto [r, new_run] = runs.try_emplace(run);
    if (new_run)
      r->second.simulation_id = s.simulation_id;
    add_run(r->second, s);
  }

  batch_rollup out;
  out.minutes = values_of(minutes);
  out.directions = values_of(directions);
  out.vehicle_classes = values_of(classes);
  out.runs = values_of(runs);
  return out;
}

} // namespace traffic::metrics
