// How a storage call ended, in our terms rather than libpqxx's.
#pragma once

#include <cstdint>

namespace traffic::storage {

/// The outcome class of a storage call.
enum class storage_status : std::uint8_t {
  ok,          ///< done (for writes: committed)
  not_found,   ///< the thing asked for does not exist
  unavailable, ///< the database is unreachable or timed out: retry later
  failed,      ///< the database refused the work (a bug or bad data): retrying won't help
};

} // namespace traffic::storage
