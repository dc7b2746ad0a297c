// Micro benchmark of the ingest body decoder (bench/parse-speed): http/snapshot_codec.cpp, the
// simdjson decoder the server runs, against the nlohmann decoder it replaced (kept here only).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/snapshot_codec.hpp"
#include "metrics/snapshot_draft.hpp"
#include "metrics/validation.hpp"

// The decoder of commit f08a9f1 (http/snapshot_codec.cpp before simdjson), unchanged but for its
// namespace.
namespace traffic::http::nlohmann_decoder {

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

} // namespace traffic::http::nlohmann_decoder

namespace {

using traffic::http::decoded_body;

/// One approach, formatted as bench/wrk/snapshots.lua formats it.
std::string signal_json(int d, int t) {
  static const char* const directions[] = {"north", "east", "south", "west"};
  static const char* const statuses[] = {"GREEN", "RED", "GREEN", "RED"};
  const int cars = (t * 7 + d * 13) % 90;
  char text[512];
  std::snprintf(text, sizeof text,
                R"({"direction":"%s","vehicle_counts":{"car":%d,"bus":%d,"truck":%d,"bike":%d,)"
                R"("rickshaw":%d},"emergency_vehicle_present":%s,"signal_status":"%s",)"
                R"("signal_timer":%d,"vehicles_crossed":%d,"avg_wait_time":%.2f,)"
                R"("green_time_allocated":%d})",
                directions[d - 1], cars, t % 3, t % 5, (t + d) % 7, t % 2,
                t % 97 == 0 ? "true" : "false", statuses[(d + t) % 4], t % 30, cars % 40,
                5 + (cars % 50) / 2.0, 20 + d);
  return text;
}

/// Snapshot `i` of a run, 4 approaches, about 1 KB, as bench/wrk/snapshots.lua sends them.
std::string snapshot_json(int i) {
  const int t = i / 8;
  std::string signals;
  for (int d = 1; d <= 4; ++d)
    signals += (d > 1 ? "," : "") + signal_json(d, t + i % 8);
  char head[256];
  std::snprintf(head, sizeof head,
                R"({"simulation_id":"BENCH_r1_0_%d","timestamp":"2025-09-10T23:%02d:%02dZ",)"
                R"("intersection_id":"INT_%03d","mode":"%s","signals":[)",
                i % 4, 20 + t / 60 % 40, t % 60, i % 8, i % 2 == 0 ? "baseline" : "ai");
  char tail[320];
  std::snprintf(tail, sizeof tail,
                R"(],"metrics":{"total_vehicles_passed":%d,"avg_wait_time_all_sides":%.2f,)"
                R"("throughput":%.3f,"avg_speed":%.2f,"fuel_saved":%.2f,"co2_saved":%.2f,)"
                R"("emergency_overrides":%d}})",
                80 + t % 50, 10 + (t % 200) / 10.0, 0.5 + (t % 50) / 100.0, 20 + (t % 150) / 10.0,
                (t % 40) / 10.0 - 1, (t % 90) / 10.0 - 2, t % 97 == 0 ? 1 : 0);
  return head + signals + tail;
}

/// A body to decode, and how.
struct workload {
  std::string name;
  std::string body;
  std::size_t snapshots;
  enum class kind { single, array, ndjson } shape;
};

using decoder = std::function<decoded_body(const workload&)>;

decoded_body decode_new(const workload& w) {
  if (w.shape == workload::kind::single)
    return traffic::http::decode_single(w.body);
  return traffic::http::decode_batch(w.body, w.shape == workload::kind::ndjson);
}

decoded_body decode_old(const workload& w) {
  if (w.shape == workload::kind::single)
    return traffic::http::nlohmann_decoder::decode_single(w.body);
  return traffic::http::nlohmann_decoder::decode_batch(w.body, w.shape == workload::kind::ndjson);
}

bool same_snapshot(const traffic::metrics::snapshot& a, const traffic::metrics::snapshot& b) {
  if (a.simulation_id != b.simulation_id || a.intersection_id != b.intersection_id ||
      a.timestamp != b.timestamp || a.mode != b.mode || a.scenario != b.scenario ||
      a.signals.size() != b.signals.size())
    return false;
  for (std::size_t i = 0; i < a.signals.size(); ++i) {
    const auto& x = a.signals[i];
    const auto& y = b.signals[i];
    if (x.approach != y.approach || x.vehicle_counts != y.vehicle_counts ||
        x.emergency_vehicle_present != y.emergency_vehicle_present || x.status != y.status ||
        x.signal_timer != y.signal_timer || x.vehicles_crossed != y.vehicles_crossed ||
        x.avg_wait_time != y.avg_wait_time || x.green_time_allocated != y.green_time_allocated)
      return false;
  }
  const auto& m = a.metrics;
  const auto& n = b.metrics;
  return m.total_vehicles_passed == n.total_vehicles_passed &&
         m.avg_wait_time_all_sides == n.avg_wait_time_all_sides && m.throughput == n.throughput &&
         m.avg_speed == n.avg_speed && m.fuel_saved == n.fuel_saved && m.co2_saved == n.co2_saved &&
         m.emergency_overrides == n.emergency_overrides;
}

/// Returns the CPU time this thread has used, in seconds. CPU time rather than wall time: the
/// machine's two cores are often shared with builds and other benchmarks.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

/// Returns the CPU seconds of one decode of `w`, timed over `iterations` decodes.
double time_round(const workload& w, const decoder& decode, std::size_t iterations) {
  std::size_t decoded = 0;
  const double start = thread_cpu_seconds();
  for (std::size_t i = 0; i < iterations; ++i)
    decoded += decode(w).snapshots.size();
  const double took = thread_cpu_seconds() - start;
  if (decoded != iterations * w.snapshots)
    std::fprintf(stderr, "%s: decoded %zu snapshots, expected %zu\n", w.name.c_str(), decoded,
                 iterations * w.snapshots);
  return took / static_cast<double>(iterations);
}

/// The best CPU seconds per decode of the old and the new decoder over `rounds` rounds, which
/// alternate between the two so that both see the same machine.
struct timing {
  double old_s = std::numeric_limits<double>::max();
  double new_s = std::numeric_limits<double>::max();
};

timing time_both(const workload& w, std::size_t iterations, int rounds) {
  timing best;
  time_round(w, decode_old, iterations); // warms caches, the allocator and the parser up
  time_round(w, decode_new, iterations);
  for (int round = 0; round < rounds; ++round) {
    best.old_s = std::min(best.old_s, time_round(w, decode_old, iterations));
    best.new_s = std::min(best.new_s, time_round(w, decode_new, iterations));
  }
  return best;
}

void usage() {
  std::fprintf(stderr, "usage: traffic_parse_speed [--snapshots N] [--rounds R]\n"
                       "  N snapshots decoded per round and decoder (default 20000), best of R "
                       "rounds (default 7)\n");
}

} // namespace

int main(int argc, char** argv) {
  std::size_t per_round = 20000;
  int rounds = 7;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--snapshots" && i + 1 < argc) {
      per_round = std::strtoul(argv[++i], nullptr, 10);
    } else if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      usage();
      return 2;
    }
  }
  if (per_round < 1000 || rounds < 1) {
    usage();
    return 2;
  }

  std::string array = "[";
  std::string ndjson;
  for (int i = 0; i < 1000; ++i) {
    array += (i ? "," : "") + snapshot_json(i);
    ndjson += snapshot_json(i) + "\n";
  }
  array += "]";
  const std::vector<workload> workloads = {
      {"1 snapshot", snapshot_json(0), 1, workload::kind::single},
      {"array of 1000", array, 1000, workload::kind::array},
      {"NDJSON of 1000", ndjson, 1000, workload::kind::ndjson},
  };

  // Both decoders must agree before their speed means anything.
  for (const auto& w : workloads) {
    const auto a = decode_old(w);
    const auto b = decode_new(w);
    bool same = a.result == decoded_body::outcome::ok && b.result == a.result &&
                a.snapshots.size() == w.snapshots && b.snapshots.size() == w.snapshots;
    for (std::size_t i = 0; same && i < w.snapshots; ++i)
      same = same_snapshot(a.snapshots[i], b.snapshots[i]);
    if (!same) {
      std::fprintf(stderr, "%s: the decoders disagree (old: %s, new: %s)\n", w.name.c_str(),
                   a.message.c_str(), b.message.c_str());
      return 1;
    }
  }

  std::printf("| body | bytes | nlohmann µs/snapshot | nlohmann MB/s | simdjson µs/snapshot | "
              "simdjson MB/s | speed-up |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& w : workloads) {
    const std::size_t iterations = std::max<std::size_t>(1, per_round / w.snapshots);
    const auto [old_s, new_s] = time_both(w, iterations, rounds);
    const auto per_snapshot = [&](double s) {
      return s * 1e6 / static_cast<double>(w.snapshots);
    };
    const auto mb_per_s = [&](double s) {
      return static_cast<double>(w.body.size()) / s / 1e6;
    };
    std::printf("| %s | %zu | %.2f | %.0f | %.2f | %.0f | %.1fx |\n", w.name.c_str(), w.body.size(),
                per_snapshot(old_s), mb_per_s(old_s), per_snapshot(new_s), mb_per_s(new_s),
                old_s / new_s);
  }
  std::printf(
      "\nDecode = parse + validate (metrics::validate_snapshot) into metrics::snapshot. Thread "
      "CPU time, best of %d alternating rounds of %zu snapshots per decoder.\n",
      rounds, per_round);
  return 0;
}
