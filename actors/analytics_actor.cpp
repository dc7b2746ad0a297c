// A pool of detached actors answering analytics queries, each with its own read connection.
#include "actors/analytics_actor.hpp"

#include <memory>
#include <vector>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/messages.hpp"
#include "storage/analytics_reader.hpp"

namespace traffic::actors {

namespace {

struct analytics_state {
  std::unique_ptr<storage::analytics_reader> reader;
  static inline const char* name = "analytics";
};

/// Returns our failure for a storage status other than ok; logs what PostgreSQL refused.
caf::error failure_for(storage::storage_status status, const std::string& error) {
  switch (status) {
    case storage::storage_status::not_found: return make_error(failure::not_found);
    case storage::storage_status::unavailable: return make_error(failure::database_unavailable);
    case storage::storage_status::ok:
    case storage::storage_status::failed: break;
  }
  spdlog::error("analytics query failed: error=\"{}\"", error);
  return make_error(failure::storage_failed);
}

caf::behavior analytics_actor(caf::stateful_actor<analytics_state>* self, analytics_config config) {
  self->state.reader =
      std::make_unique<storage::analytics_reader>(config.conninfo, config.statement_timeout);
  return {
      [=](query_atom, const metrics::analytics_query& query) -> caf::result<answer_body> {
        auto started = std::chrono::steady_clock::now();
        auto answer = self->state.reader->answer(query);
        if (answer.status != storage::storage_status::ok)
          return failure_for(answer.status, answer.error);
        // Encoding here, on this actor's own thread, keeps big answers off the shared
        // scheduler and lets the pool encode in parallel.
        auto body = std::make_shared<const std::string>(config.encode(*answer.value));
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
        spdlog::debug("analytics query answered: key=\"{}\" bytes={} ms={}", query.cache_key(),
                      body->size(), ms);
        return answer_body{std::move(body)};
      },
      [=](update_atom,
          const metrics::simulation_update& update) -> caf::result<metrics::simulation_info> {
        auto updated = self->state.reader->update_simulation(update);
        if (updated.status != storage::storage_status::ok)
          return failure_for(updated.status, updated.error);
        return std::move(*updated.value);
      },
      [=](remove_atom, const std::string& simulation_id) -> caf::result<metrics::simulation_info> {
        auto deleted = self->state.reader->delete_simulation(simulation_id);
        if (deleted.status != storage::storage_status::ok)
          return failure_for(deleted.status, deleted.error);
        spdlog::info("simulation deleted: sim={} snapshots={}", simulation_id,
                     deleted.value->snapshots);
        return std::move(*deleted.value);
      },
      [=](expired_atom, int days, int limit) -> caf::result<std::vector<std::string>> {
        auto expired = self->state.reader->expired_simulations(days, limit);
        if (expired.status != storage::storage_status::ok)
          return failure_for(expired.status, expired.error);
        return std::move(*expired.value);
      },
  };
}

} // namespace

caf::actor spawn_analytics_pool(caf::actor_system& system, analytics_config config) {
  caf::scoped_execution_unit context{&system};
  auto factory = [&system, config] {
    return system.spawn<caf::detached>(analytics_actor, config);
  };
  return caf::actor_pool::make(&context, static_cast<std::size_t>(config.actors), factory,
                               caf::actor_pool::round_robin());
}

void stop_analytics_pool(caf::actor_system& system, const caf::actor& pool) {
  // CAF 0.17's pool exits all workers at once, and each worker's down message then writes the
  // pool's exit reason outside its lock: a data race inside CAF (ThreadSanitizer reports it).
  // So take the workers out of the pool first (which also drops its monitors on them), and
  // stop them one by one after the pool.
  std::vector<caf::actor> workers;
  {
    caf::scoped_actor self{system};
    self->request(pool, std::chrono::seconds{5}, caf::sys_atom::value, caf::get_atom::value)
        .receive([&](std::vector<caf::actor>& listed) { workers = std::move(listed); },
                 [&](const caf::error& e) {
                   spdlog::warn("analytics pool did not list its workers: error=\"{}\"",
                                system.render(e));
                 });
  }
  caf::anon_send(pool, caf::sys_atom::value, caf::delete_atom::value);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  for (const auto& worker : workers)
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
}

} // namespace traffic::actors
