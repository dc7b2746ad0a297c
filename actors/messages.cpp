// Errors of the actor layer as caf::error values.
#include "actors/messages.hpp"

namespace traffic::actors {

namespace {

constexpr auto failure_category = caf::atom("traffic");

} // namespace

caf::error make_error(failure f) {
  return caf::error{static_cast<std::uint8_t>(f), failure_category};
}

std::optional<failure> as_failure(const caf::error& e) {
  if (e.category() != failure_category || e.code() < 1 ||
      e.code() > static_cast<std::uint8_t>(failure::shutting_down))
    return std::nullopt;
  return static_cast<failure>(e.code());
}

const char* describe(failure f) {
  switch (f) {
    case failure::queue_full: return "the write queue is full; retry shortly";
    case failure::database_unavailable: return "the database is unavailable; retry later";
    case failure::storage_failed: return "the database refused the operation";
    case failure::not_found: return "not found";
    case failure::shutting_down: return "the server is shutting down";
  }
  return "unknown failure";
}

} // namespace traffic::actors
