// Deletes runs that have had no new data for RETENTION_DAYS, as an admin DELETE would.
#include "actors/retention_actor.hpp"

#include <deque>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/messages.hpp"

namespace traffic::actors {

namespace {

/// How long a lookup of expired runs may take.
constexpr auto lookup_timeout = std::chrono::seconds{30};

struct retention_state {
  retention_config config;
  std::deque<std::string> pending; ///< expired runs not yet deleted
  bool full_batch = false;         ///< the last lookup hit the batch size: look again at once
  std::int64_t deleted = 0;
  static inline const char* name = "retention";
};

using retention_actor_ptr = caf::stateful_actor<retention_state>*;

void check_later(retention_actor_ptr self) {
  self->delayed_send(self, self->state.config.interval, tick_atom::value);
}

void delete_next(retention_actor_ptr self) {
  auto& st = self->state;
  if (st.pending.empty()) {
    if (st.full_batch)
      self->send(self, tick_atom::value);
    else
      check_later(self);
    return;
  }
  auto id = std::move(st.pending.front());
  st.pending.pop_front();
  self->request(st.config.analytics, st.config.delete_timeout, remove_atom::value, id)
      .then(
          [=](const metrics::simulation_info& info) {
            auto& s = self->state;
            ++s.deleted;
            spdlog::info("retention: run deleted: sim={} snapshots={} retention_days={}",
                         info.simulation_id, info.snapshots, s.config.days);
            self->send(s.config.ingest_router, remove_atom::value, info.simulation_id);
            self->send(s.config.cache, invalidate_atom::value,
                       std::vector<std::string>{info.simulation_id});
            delete_next(self);
          },
          [=](const caf::error& e) {
            // A run deleted meanwhile by an admin is not a problem; anything else is retried at
            // the next check, since the run is still expired then.
            if (as_failure(e) != failure::not_found)
              spdlog::warn("retention: delete failed: sim={} error=\"{}\"", id,
                           self->system().render(e));
            delete_next(self);
          });
}

caf::behavior retention_actor(retention_actor_ptr self, retention_config config) {
  self->state.config = std::move(config);
  self->send(self, tick_atom::value);
  return {
      [=](tick_atom) {
        auto& st = self->state;
        self->request(st.config.analytics, lookup_timeout, expired_atom::value, st.config.days,
                      st.config.batch)
            .then(
                [=](const std::vector<std::string>& ids) {
                  auto& s = self->state;
                  s.full_batch = static_cast<int>(ids.size()) >= s.config.batch;
                  s.pending.assign(ids.begin(), ids.end());
                  delete_next(self);
                },
                [=](const caf::error& e) {
                  spdlog::warn("retention: cannot look up expired runs: error=\"{}\"",
                               self->system().render(e));
                  check_later(self);
                });
      },
      // The cache answers an invalidation with the count it dropped; nothing to do with it.
      [=](std::int64_t) {},
  };
}

} // namespace

caf::actor spawn_retention(caf::actor_system& system, retention_config config) {
  return system.spawn(retention_actor, std::move(config));
}

} // namespace traffic::actors
