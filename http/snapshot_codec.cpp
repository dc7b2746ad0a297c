// Decodes ingest bodies (one JSON snapshot, a JSON array, or NDJSON) into validated snapshots.
#include "http/snapshot_codec.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "metrics/snapshot_draft.hpp"
#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

using json = nlohmann::json;
using metrics::raw_value;

raw_value raw_of(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return raw_value::of_kind(raw_value::kind::null);
    case json::value_t::boolean: return raw_value::of_bool(value.get<bool>());
    case json::value_t::number_integer: return raw_value::of_int(value.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      auto u = value.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return raw_value::of_int(static_cast<std::int64_t>(u));
      return raw_value::of_real(static_cast<double>(u));
    }
    case json::value_t::number_float: return raw_value::of_real(value.get<double>());
    case json::value_t::string: return raw_value::of_string(value.get<std::string>());
    case json::value_t::array: return raw_value::of_kind(raw_value::kind::array);
    case json::value_t::object: return raw_value::of_kind(raw_value::kind::object);
    default: return raw_value::of_kind(raw_value::kind::missing);
  }
}

/// Returns the member `key` of `object`, or a missing value.
raw_value member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? raw_value{} : raw_of(*it);
}

metrics::signal_draft signal_draft_of(const json& item) {
  metrics::signal_draft draft;
  draft.shape = raw_of(item);
  if (!item.is_object())
    return draft;
  draft.direction = member(item, "direction");
  draft.vehicle_counts_shape = member(item, "vehicle_counts");
  if (auto it = item.find("vehicle_counts"); it != item.end() && it->is_object())
    for (const auto& [name, count] : it->items())
      draft.vehicle_counts.emplace_back(name, raw_of(count));
  draft.emergency_vehicle_present = member(item, "emergency_vehicle_present");
  draft.signal_status = member(item, "signal_status");
  draft.signal_timer = member(item, "signal_timer");
  draft.vehicles_crossed = member(item, "vehicles_crossed");
  draft.avg_wait_time = member(item, "avg_wait_time");
  draft.green_time_allocated = member(item, "green_time_allocated");
  return draft;
}

metrics::snapshot_draft draft_of(const json& doc) {
  metrics::snapshot_draft draft;
  draft.shape = raw_of(doc);
  if (!doc.is_object())
    return draft;
  draft.simulation_id = member(doc, "simulation_id");
  draft.timestamp = member(doc, "timestamp");
  draft.intersection_id = member(doc, "intersection_id");
  draft.mode = member(doc, "mode");
  draft.scenario = member(doc, "scenario");
  draft.signals_shape = member(doc, "signals");
  if (auto it = doc.find("signals"); it != doc.end() && it->is_array())
    for (const auto& item : *it)
      draft.signals.push_back(signal_draft_of(item));
  draft.metrics_shape = member(doc, "metrics");
  if (auto it = doc.find("metrics"); it != doc.end() && it->is_object()) {
    const auto& m = *it;
    draft.metrics.total_vehicles_passed = member(m, "total_vehicles_passed");
    draft.metrics.avg_wait_time_all_sides = member(m, "avg_wait_time_all_sides");
    draft.metrics.throughput = member(m, "throughput");
    draft.metrics.avg_speed = member(m, "avg_speed");
    draft.metrics.fuel_saved = member(m, "fuel_saved");
    draft.metrics.co2_saved = member(m, "co2_saved");
    draft.metrics.emergency_overrides = member(m, "emergency_overrides");
  }
  return draft;
}

/// Parses JSON text; on failure fills `out` as malformed and returns nothing.
std::optional<json> parse(std::string_view text, decoded_body& out, std::string_view where) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    out.result = decoded_body::outcome::malformed;
    out.message = "the body is not valid JSON";
    out.details.push_back(decode_detail{std::string{where}, e.what(), std::nullopt});
    return std::nullopt;
  }
}

/// Validates the documents in order; the body is ok only if every one is valid.
void validate_all(const std::vector<json>& docs, bool indexed, decoded_body& out) {
  std::vector<metrics::violation> violations;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    auto prefix = indexed ? "[" + std::to_string(i) + "]" : std::string{};
    auto before = violations.size();
    auto snapshot = metrics::validate_snapshot(draft_of(docs[i]), prefix, violations);
    for (auto j = before; j < violations.size(); ++j)
      out.details.push_back(decode_detail{std::move(violations[j].path),
                                          std::move(violations[j].message),
                                          indexed ? std::optional<std::size_t>{i} : std::nullopt});
    if (snapshot && out.details.empty())
      out.snapshots.push_back(std::move(*snapshot));
  }
  if (!out.details.empty()) {
    out.result = decoded_body::outcome::invalid;
    out.message = "the snapshot is invalid";
    if (indexed)
      out.message = "the batch is invalid; nothing was stored";
    out.snapshots.clear();
  }
}

} // namespace

decoded_body decode_single(std::string_view body) {
  decoded_body out;
  auto doc = parse(body, out, "$");
  if (!doc)
    return out;
  validate_all({std::move(*doc)}, false, out);
  return out;
}

decoded_body decode_batch(std::string_view body, bool ndjson) {
  decoded_body out;
  std::vector<json> docs;
  if (ndjson) {
    std::size_t line = 0;
    while (!body.empty()) {
      auto end = body.find('\n');
      auto text = body.substr(0, end);
      body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string_view::npos)
        continue;
      auto doc = parse(text, out, "line " + std::to_string(line));
      if (!doc)
        return out;
      docs.push_back(std::move(*doc));
      if (docs.size() > max_batch_snapshots)
        break;
    }
  } else {
    auto doc = parse(body, out, "$");
    if (!doc)
      return out;
    if (!doc->is_array()) {
      out.result = decoded_body::outcome::invalid;
      out.message = "a batch must be a JSON array of snapshots";
      out.details.push_back(decode_detail{"$", "must be a JSON array", std::nullopt});
      return out;
    }
    docs = std::move(doc->get_ref<json::array_t&>());
  }
  if (docs.size() > max_batch_snapshots) {
    out.result = decoded_body::outcome::too_many;
    out.message = "a batch holds at most " + std::to_string(max_batch_snapshots) + " snapshots";
    return out;
  }
  if (docs.empty()) {
    out.result = decoded_body::outcome::invalid;
    out.message = "the batch is empty";
    out.details.push_back(decode_detail{"$", "must hold at least one snapshot", std::nullopt});
    return out;
  }
  validate_all(docs, true, out);
  return out;
}

} // namespace traffic::http
