// A pool of detached actors answering analytics queries, each with its own read connection.
#include "actors/analytics_actor.hpp"

#include <memory>

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

/// Turns a storage answer into a reply: the value, or our failure for its status.
template <class T>
caf::result<T> reply_with(storage::read_result<T>&& answer) {
  switch (answer.status) {
    case storage::storage_status::ok: return std::move(*answer.value);
    case storage::storage_status::not_found: return make_error(failure::not_found);
    case storage::storage_status::unavailable: return make_error(failure::database_unavailable);
    case storage::storage_status::failed: break;
  }
  spdlog::error("analytics query failed: error=\"{}\"", answer.error);
  return make_error(failure::storage_failed);
}

caf::behavior analytics_actor(caf::stateful_actor<analytics_state>* self, analytics_config config) {
  self->state.reader =
      std::make_unique<storage::analytics_reader>(config.conninfo, config.statement_timeout);
  return {
      [=](summary_atom,
          const std::string& simulation_id) -> caf::result<metrics::simulation_summary> {
        return reply_with(self->state.reader->simulation_summary(simulation_id));
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

} // namespace traffic::actors
