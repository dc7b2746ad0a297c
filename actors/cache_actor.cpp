// The answer cache: owns every cached analytics answer and asks the analytics pool on a miss.
#include "actors/cache_actor.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/answer_store.hpp"
#include "actors/messages.hpp"

namespace traffic::actors {

namespace {

/// Requests waiting for the one pool query of their key.
struct pending_query {
  std::vector<std::string> depends_on;
  bool stale = false; ///< its data changed while it ran: deliver, do not store
  std::vector<caf::typed_response_promise<cached_answer>> waiting;
};

struct cache_state {
  answer_store store{0, std::chrono::milliseconds{0}}; ///< replaced with the configured one
  std::unordered_map<std::string, pending_query> pending;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
  static inline const char* name = "cache";
};

using cache_actor_ptr = caf::stateful_actor<cache_state>*;

/// Expired answers are dropped on lookup too; the sweep only returns their memory sooner.
std::chrono::milliseconds sweep_interval(const cache_config& config) {
  return std::max<std::chrono::milliseconds>(config.ttl, std::chrono::seconds{1});
}

bool touches(const pending_query& query, const std::vector<std::string>& simulation_ids) {
  if (query.depends_on.empty())
    return true;
  return std::any_of(simulation_ids.begin(), simulation_ids.end(), [&](const std::string& id) {
    return std::binary_search(query.depends_on.begin(), query.depends_on.end(), id);
  });
}

void mark_stale(cache_state& st, const std::vector<std::string>& simulation_ids) {
  for (auto& [key, query] : st.pending)
    if (touches(query, simulation_ids))
      query.stale = true;
}

caf::result<cached_answer> ask_pool(cache_actor_ptr self, const caf::actor& analytics,
                                    const cache_config& config,
                                    const metrics::analytics_query& query, std::string key) {
  auto& st = self->state;
  auto promise = self->make_response_promise<cached_answer>();
  auto [it, first] = st.pending.try_emplace(key);
  it->second.waiting.push_back(promise);
  if (!first)
    return promise;
  it->second.depends_on = query.depends_on();
  self->request(analytics, config.query_timeout, query_atom::value, query)
      .then(
          [=](answer_body& body) {
            auto& st = self->state;
            auto done = st.pending.find(key);
            if (done == st.pending.end())
              return;
            if (!done->second.stale)
              st.store.put(key, body, done->second.depends_on, answer_store::clock::now());
            for (auto& waiting : done->second.waiting)
              waiting.deliver(cached_answer{body, false});
            st.pending.erase(done);
          },
          [=](caf::error& error) {
            auto& st = self->state;
            auto done = st.pending.find(key);
            if (done == st.pending.end())
              return;
            for (auto& waiting : done->second.waiting)
              waiting.deliver(error);
            st.pending.erase(done);
          });
  return promise;
}

caf::behavior cache_actor(caf::stateful_actor<cache_state>* self, caf::actor analytics,
                          cache_config config) {
  self->state.store = answer_store{config.max_bytes, config.ttl};
  self->delayed_send(self, sweep_interval(config), tick_atom::value);
  return {
      [=](query_atom, const metrics::analytics_query& query) -> caf::result<cached_answer> {
        auto& st = self->state;
        auto key = query.cache_key();
        if (auto body = st.store.find(key, answer_store::clock::now())) {
          ++st.hits;
          return cached_answer{std::move(body), true};
        }
        ++st.misses;
        if (st.pending.count(key) == 0 && st.pending.size() >= config.max_in_flight)
          return make_error(failure::queue_full);
        return ask_pool(self, analytics, config, query, std::move(key));
      },
      [=](invalidate_atom, const std::vector<std::string>& simulation_ids) -> std::int64_t {
        mark_stale(self->state, simulation_ids);
        return self->state.store.invalidate(simulation_ids);
      },
      [=](clear_atom) -> cache_cleared {
        for (auto& [key, query] : self->state.pending)
          query.stale = true;
        auto [entries, bytes] = self->state.store.clear();
        spdlog::info("cache cleared: entries={} bytes={}", entries, bytes);
        return {entries, bytes};
      },
      [=](clear_atom, const std::string& simulation_id) -> cache_cleared {
        auto& st = self->state;
        auto before = st.store.bytes();
        mark_stale(st, {simulation_id});
        auto entries = st.store.invalidate({simulation_id});
        spdlog::info("cache cleared: simulation={} entries={}", simulation_id, entries);
        return {entries, before - st.store.bytes()};
      },
      [=](caf::get_atom, stats_atom) {
        const auto& st = self->state;
        cache_stats stats;
        stats.entries = st.store.entries();
        stats.bytes = st.store.bytes();
        stats.capacity_bytes = static_cast<std::int64_t>(config.max_bytes);
        stats.ttl_ms = config.ttl.count();
        stats.hits = st.hits;
        stats.misses = st.misses;
        stats.evictions = st.store.counters().evictions;
        stats.expirations = st.store.counters().expirations;
        stats.invalidations = st.store.counters().invalidations;
        stats.in_flight = static_cast<std::int64_t>(st.pending.size());
        return stats;
      },
      [=](tick_atom) {
        self->state.store.expire(answer_store::clock::now());
        self->delayed_send(self, sweep_interval(config), tick_atom::value);
      },
  };
}

} // namespace

caf::actor spawn_cache(caf::actor_system& system, caf::actor analytics, cache_config config) {
  return system.spawn(cache_actor, std::move(analytics), config);
}

} // namespace traffic::actors
