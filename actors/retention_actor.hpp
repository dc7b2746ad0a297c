// Deletes runs that have had no new data for RETENTION_DAYS, as an admin DELETE would.
#pragma once

#include <chrono>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace traffic::actors {

/// How old a run may get and whom the retention actor tells.
struct retention_config {
  int days = 0;                            ///< runs whose latest write is older are deleted
  std::chrono::seconds interval{3600};     ///< between checks (the first runs at start)
  int batch = 100;                         ///< runs looked up per check; a full batch rechecks
  std::chrono::seconds delete_timeout{70}; ///< one run's delete (its statement has 60 s)
  caf::actor analytics;                    ///< looks up and deletes runs
  caf::actor cache;                        ///< drops the answers that depended on a run
  caf::actor ingest_router;                ///< drops a run's live state
};

/// Spawns the retention actor. It deletes expired runs one at a time (each in its own
/// transaction, through the analytics pool), drops their cached answers and live state, and
/// logs each; a failed check is logged and retried at the next interval.
caf::actor spawn_retention(caf::actor_system& system, retention_config config);

} // namespace traffic::actors
