// Decodes the body of PUT /api/v1/simulations/{id}: a change of a run's mode and scenario.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "http/snapshot_codec.hpp"
#include "metrics/reports.hpp"

namespace traffic::http {

/// Decodes `body`, a JSON object with optional "mode" ("baseline", "ai", any case, or null to
/// clear it) and "scenario" (a name as scenario_problem accepts it, or null to clear it), into
/// the update of simulation `id` (the path's {id}, already percent-decoded). Returns nothing
/// after appending every problem to `errors`, each naming its key ("simulation_id" for a bad
/// id, "$" for the body as a whole); sets `malformed` when the body is not JSON or not an object
/// (answer 400), leaves it false otherwise (answer 422).
std::optional<metrics::simulation_update>
parse_simulation_update(std::string_view id, std::string_view body,
                        std::vector<decode_detail>& errors, bool& malformed);

} // namespace traffic::http
