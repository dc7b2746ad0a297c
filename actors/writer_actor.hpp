// A detached actor owning one PostgreSQL connection: writes the batches the write queue hands it.
#pragma once

#include <chrono>
#include <string>

#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include "storage/snapshot_writer.hpp"

namespace traffic::actors {

/// The writer's connection; made lazily by storage::snapshot_writer.
struct writer_state {
  std::unique_ptr<storage::snapshot_writer> writer;
  static inline const char* name = "writer";
};

/// Behaviour of a writer. Spawn it detached (it blocks on PostgreSQL) and linked to `queue`.
/// Accepts (write_atom, write_job): writes the job in one transaction, then sends
/// (written_atom, job id, storage::write_result) to `queue`. Accepts (ping_atom): probes the
/// database, then sends (probe_atom, probe_result) to `queue`. Never replies to the sender
/// directly, so the queue can time a job out without losing track of a busy writer.
caf::behavior writer_actor(caf::stateful_actor<writer_state>* self, caf::actor queue,
                           std::string conninfo, std::chrono::milliseconds statement_timeout);

} // namespace traffic::actors
