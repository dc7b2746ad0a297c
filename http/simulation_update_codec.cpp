// Decodes the body of PUT /api/v1/simulations/{id}: a change of a run's mode and scenario.
#include "http/simulation_update_codec.hpp"

#include <string>

#include <nlohmann/json.hpp>

#include "http/query_text.hpp"
#include "metrics/snapshot.hpp"
#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

using json = nlohmann::json;

void add(std::vector<decode_detail>& errors, std::string path, std::string message) {
  errors.push_back(decode_detail{std::move(path), std::move(message), std::nullopt});
}

} // namespace

std::optional<metrics::simulation_update>
parse_simulation_update(std::string_view id, std::string_view body,
                        std::vector<decode_detail>& errors, bool& malformed) {
  malformed = false;
  const auto errors_before = errors.size();
  json doc;
  try {
    doc = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {
    malformed = true;
    add(errors, "$", std::string{"the body is not valid JSON: "} + e.what());
    return std::nullopt;
  }
  if (!doc.is_object()) {
    malformed = true;
    add(errors, "$", "the body must be a JSON object with \"mode\" and/or \"scenario\"");
    return std::nullopt;
  }

  metrics::simulation_update update;
  if (metrics::is_valid_id(id))
    update.simulation_id = std::string{id};
  else
    add(errors, "simulation_id",
        "must be 1 to " + std::to_string(metrics::max_id_length) +
            " letters, digits, '_', '-', '.' or ':'");
  for (const auto& [key, value] : doc.items()) {
    if (key == "mode") {
      update.set_mode = true;
      if (value.is_null())
        continue;
      if (value.is_string())
        update.mode = metrics::parse_run_mode(value.get_ref<const std::string&>());
      if (!update.mode)
        add(errors, key, "must be \"baseline\", \"ai\" or null (to clear it)");
    } else if (key == "scenario") {
      update.set_scenario = true;
      if (value.is_null())
        continue;
      if (!value.is_string()) {
        add(errors, key, "must be a string or null (to clear it)");
        continue;
      }
      const auto& text = value.get_ref<const std::string&>();
      if (auto problem = scenario_problem(text))
        add(errors, key, *problem);
      else
        update.scenario = text;
    } else {
      add(errors, key, "unknown field; the body accepts \"mode\" and \"scenario\"");
    }
  }
  if (!update.set_mode && !update.set_scenario)
    add(errors, "$", "nothing to change; give \"mode\", \"scenario\" or both");
  if (errors.size() != errors_before)
    return std::nullopt;
  return update;
}

} // namespace traffic::http
