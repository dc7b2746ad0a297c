// A detached actor owning one PostgreSQL connection: writes the batches the write queue hands it.
#include "actors/writer_actor.hpp"

#include <caf/all.hpp>

#include "actors/messages.hpp"

namespace traffic::actors {

caf::behavior writer_actor(caf::stateful_actor<writer_state>* self, caf::actor queue,
                           std::string conninfo, std::chrono::milliseconds statement_timeout) {
  self->state.writer =
      std::make_unique<storage::snapshot_writer>(std::move(conninfo), statement_timeout);
  return {
      [=](write_atom, const write_job& job) {
        std::vector<const metrics::snapshot*> rows;
        for (const auto& request : job.requests)
          for (const auto& snapshot : *request)
            rows.push_back(&snapshot);
        // snapshot_writer::write never throws: a handler that threw would kill this actor.
        auto result = self->state.writer->write(rows);
        self->send(queue, written_atom::value, job.id, std::move(result));
      },
      [=](ping_atom) {
        probe_result probe;
        probe.status = self->state.writer->ping(&probe.error);
        self->send(queue, probe_atom::value, std::move(probe));
      },
  };
}

} // namespace traffic::actors
