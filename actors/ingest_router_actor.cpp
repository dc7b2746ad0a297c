// Entry point of ingest: sends each request to the write queue and, after COMMIT, hands the newly
// stored snapshots to their simulations' actors.
#include "actors/ingest_router_actor.hpp"

#include <string>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/simulation_actor.hpp"

namespace traffic::actors {

namespace {

struct ingest_router_state {
  ingest_router_config config;
  caf::actor write_queue;
  std::unordered_map<std::string, caf::actor> simulations;
  std::unordered_map<caf::actor_addr, std::string> simulation_ids;
  static inline const char* name = "ingest_router";
};

using router_actor = caf::stateful_actor<ingest_router_state>*;

caf::actor simulation_for(router_actor self, const std::string& id) {
  auto& st = self->state;
  auto it = st.simulations.find(id);
  if (it != st.simulations.end())
    return it->second;
  // Linked, so the router's exit at shutdown ends every simulation actor too; their own
  // normal exit (idle) does not affect the router.
  auto actor = self->spawn<caf::linked>(simulation_actor, id, st.config.simulation_idle,
                                        st.config.live_metrics);
  self->monitor(actor);
  st.simulation_ids.emplace(actor.address(), id);
  st.simulations.emplace(id, actor);
  return actor;
}

/// Live state follows committed data only: called once the write queue has acknowledged.
void publish_committed(router_actor self, const snapshot_list& request,
                       const std::vector<bool>& stored) {
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_simulation;
  for (std::uint32_t i = 0; i < stored.size(); ++i)
    if (stored[i])
      by_simulation[(*request)[i].simulation_id].push_back(i);
  if (by_simulation.empty())
    return;
  // The invalidation is enqueued at the cache before the ack is delivered, and the cache's
  // mailbox is FIFO, so a query sent after the ack always sees it.
  if (self->state.config.cache) {
    std::vector<std::string> changed;
    for (const auto& entry : by_simulation)
      changed.push_back(entry.first);
    caf::anon_send(self->state.config.cache, invalidate_atom::value, std::move(changed));
  }
  for (auto& [id, indices] : by_simulation)
    self->send(simulation_for(self, id), committed_atom::value,
               committed_snapshots{request, std::move(indices)});
}

caf::behavior ingest_router_actor(router_actor self, caf::actor write_queue,
                                  ingest_router_config config) {
  self->state.config = config;
  self->state.write_queue = std::move(write_queue);
  self->set_down_handler([=](const caf::down_msg& down) {
    auto& st = self->state;
    auto it = st.simulation_ids.find(down.source);
    if (it == st.simulation_ids.end())
      return;
    st.simulations.erase(it->second);
    st.simulation_ids.erase(it);
  });
  return {
      [=](ingest_atom, snapshot_list& request) -> caf::result<ingest_ack> {
        auto promise = self->make_response_promise<ingest_ack>();
        self->request(self->state.write_queue, self->state.config.write_timeout, write_atom::value,
                      request)
            .then(
                [=](write_receipt& receipt) mutable {
                  publish_committed(self, request, receipt.stored);
                  promise.deliver(receipt.ack);
                },
                [=](caf::error& error) mutable { promise.deliver(std::move(error)); });
        return promise;
      },
      [=](remove_atom, const std::string& simulation_id) {
        auto& st = self->state;
        auto it = st.simulations.find(simulation_id);
        if (it != st.simulations.end())
          self->send(it->second, remove_atom::value);
        else if (st.config.live_metrics)
          self->send(st.config.live_metrics, forget_atom::value, simulation_id);
      },
      [=](caf::get_atom, stats_atom) -> caf::result<system_stats> {
        auto promise = self->make_response_promise<system_stats>();
        auto simulations = static_cast<std::int64_t>(self->state.simulations.size());
        self->request(self->state.write_queue, self->state.config.write_timeout,
                      caf::get_atom::value, stats_atom::value)
            .then(
                [=](write_queue_stats& writes) mutable {
                  system_stats stats;
                  stats.simulation_actors = simulations;
                  stats.writes = std::move(writes);
                  promise.deliver(std::move(stats));
                },
                [=](caf::error& error) mutable { promise.deliver(std::move(error)); });
        return promise;
      },
  };
}

} // namespace

caf::actor spawn_ingest_router(caf::actor_system& system, caf::actor write_queue,
                               ingest_router_config config) {
  return system.spawn(ingest_router_actor, std::move(write_queue), config);
}

} // namespace traffic::actors
