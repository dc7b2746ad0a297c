// The answer cache: owns every cached analytics answer and asks the analytics pool on a miss.
#pragma once

#include <chrono>
#include <cstddef>

#include <caf/fwd.hpp>

namespace traffic::actors {

/// Bounds of the cache.
struct cache_config {
  std::size_t max_bytes = 64u << 20;     ///< 0 disables storing answers (every query misses)
  std::chrono::milliseconds ttl{300000}; ///< 0 disables storing answers
  std::chrono::milliseconds query_timeout{9000}; ///< how long to wait for the analytics pool
  std::size_t max_in_flight = 256; ///< distinct queries waiting for the pool before queue_full
};

/// Spawns the cache in front of `analytics` (the pool of spawn_analytics_pool). Protocol:
/// - (query_atom, metrics::analytics_query) -> cached_answer. A fresh entry answers at once
///   (hit); otherwise the pool is asked, and identical queries arriving meanwhile share that
///   one answer. Errors of the pool (not_found, database_unavailable, ...) are passed on and
///   never cached; queue_full when max_in_flight distinct queries are already waiting.
/// - (invalidate_atom, std::vector<std::string> simulation_ids) -> std::int64_t entries
///   dropped: every answer that depends on one of them and every unfiltered answer. Answers
///   being computed at that moment are still delivered but not stored.
/// - (clear_atom) -> cache_cleared (everything); (clear_atom, std::string simulation_id) ->
///   cache_cleared (as an invalidation of that simulation).
/// - (caf::get_atom, stats_atom) -> cache_stats.
caf::actor spawn_cache(caf::actor_system& system, caf::actor analytics, cache_config config);

} // namespace traffic::actors
