// Maps method and path to the handler of each endpoint; handlers ask actors and answer.
#include "http/router.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "http/actor_bridge.hpp"
#include "http/error_responses.hpp"
#include "http/snapshot_codec.hpp"
#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

namespace bh = boost::beast::http;

/// Health answers must be quick even when the actors are busy.
constexpr auto health_timeout = std::chrono::milliseconds{1000};

std::string lower(std::string_view text) {
  std::string out{text};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Returns the media type of a Content-Type value, lower-case, without parameters.
std::string media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ')
    type.remove_prefix(1);
  return lower(type);
}

bool is_json(const std::string& type) {
  return type == "application/json" ||
         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

bool is_ndjson(const std::string& type) {
  return type == "application/x-ndjson" || type == "application/ndjson";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Decodes %XX escapes; returns nothing for a broken escape.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size())
      return std::nullopt;
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return segments;
}

enum class endpoint {
  ingest_single,
  ingest_batch,
  query, ///< an analytics, dashboard or chart answer, through the cache
  live_metrics,
  update_simulation,
  delete_simulation,
  clear_cache,
  health,
  system_info,
};

struct route {
  bh::verb method;
  std::vector<std::string_view> pattern; ///< "{}" captures one segment
  endpoint target;
  metrics::query_kind kind = metrics::query_kind::summary; ///< for endpoint::query
};

const std::vector<route>& routes() {
  using k = metrics::query_kind;
  static const std::vector<route> table{
      {bh::verb::post, {"api", "v1", "ingest", "simulation"}, endpoint::ingest_single},
      {bh::verb::post, {"api", "v1", "ingest", "batch"}, endpoint::ingest_batch},
      {bh::verb::get,
       {"api", "v1", "analytics", "simulation", "{}", "summary"},
       endpoint::query,
       k::summary},
      {bh::verb::get, {"api", "v1", "analytics", "wait-times"}, endpoint::query, k::wait_times},
      {bh::verb::get, {"api", "v1", "analytics", "speeds"}, endpoint::query, k::speeds},
      {bh::verb::get,
       {"api", "v1", "analytics", "environmental-impact"},
       endpoint::query,
       k::environmental_impact},
      {bh::verb::get,
       {"api", "v1", "analytics", "comparison", "baseline-vs-ai"},
       endpoint::query,
       k::comparison},
      {bh::verb::get,
       {"api", "v1", "analytics", "emergency-report"},
       endpoint::query,
       k::emergency_report},
      {bh::verb::get,
       {"api", "v1", "analytics", "time-series", "{}"},
       endpoint::query,
       k::time_series},
      {bh::verb::get, {"api", "v1", "dashboard", "live-metrics"}, endpoint::live_metrics},
      {bh::verb::get,
       {"api", "v1", "dashboard", "performance-comparison"},
       endpoint::query,
       k::performance_dashboard},
      {bh::verb::get,
       {"api", "v1", "charts", "wait-time-trend"},
       endpoint::query,
       k::wait_time_trend},
      {bh::verb::get,
       {"api", "v1", "charts", "performance-scatter"},
       endpoint::query,
       k::performance_scatter},
      {bh::verb::get, {"api", "v1", "simulations"}, endpoint::query, k::simulations},
      {bh::verb::put, {"api", "v1", "simulations", "{}"}, endpoint::update_simulation},
      {bh::verb::delete_, {"api", "v1", "simulations", "{}"}, endpoint::delete_simulation},
      {bh::verb::post, {"api", "v1", "admin", "clear-cache"}, endpoint::clear_cache},
      {bh::verb::get, {"health"}, endpoint::health},
      {bh::verb::get, {"system", "info"}, endpoint::system_info},
  };
  return table;
}

bool matches(const route& r, const std::vector<std::string_view>& segments,
             std::vector<std::string_view>& captures) {
  if (r.pattern.size() != segments.size())
    return false;
  captures.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (r.pattern[i] == "{}")
      captures.push_back(segments[i]);
    else if (r.pattern[i] != segments[i])
      return false;
  }
  return true;
}

} // namespace

router::router(caf::actor_system& system, service_handles services, router_config config)
    : system_{system}, services_{std::move(services)}, config_{std::move(config)} {}

void router::handle(const incoming_request& request, respond_fn respond) const {
  auto path = request.target.substr(0, request.target.find('?'));
  auto segments = split_path(path);
  std::vector<std::string_view> captures;
  std::vector<std::string> allowed;
  for (const auto& r : routes()) {
    if (!matches(r, segments, captures))
      continue;
    if (r.method != request.method) {
      allowed.emplace_back(bh::to_string(r.method));
      continue;
    }
    std::optional<std::string> path_id;
    if (!captures.empty()) {
      path_id = percent_decode(captures[0]);
      if (!path_id)
        return respond(error_response(400, "bad_request", "broken percent-encoding in the path",
                                      request.request_id));
    }
    switch (r.target) {
      case endpoint::ingest_single: return ingest_single(request, std::move(respond));
      case endpoint::ingest_batch: return ingest_batch(request, std::move(respond));
      case endpoint::query: return query(request, r.kind, std::move(path_id), std::move(respond));
      case endpoint::live_metrics: return live_metrics(request, std::move(respond));
      case endpoint::update_simulation:
        return update_simulation(request, std::move(*path_id), std::move(respond));
      case endpoint::delete_simulation:
        return delete_simulation(request, std::move(*path_id), std::move(respond));
      case endpoint::clear_cache: return clear_cache(request, std::move(respond));
      case endpoint::health: return health(request, std::move(respond));
      case endpoint::system_info: return system_info(request, std::move(respond));
    }
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const auto& m : allowed)
      allow += (allow.empty() ? "" : ", ") + m;
    auto r =
        error_response(405, "method_not_allowed", "this path accepts " + allow, request.request_id);
    r.headers.emplace_back("Allow", allow);
    return respond(std::move(r));
  }
  respond(error_response(404, "not_found", "no such endpoint", request.request_id));
}

void router::ingest_single(const incoming_request& request, respond_fn respond) const {
  if (!is_json(media_type(request.content_type)))
    return respond(error_response(415, "unsupported_media_type",
                                  "send Content-Type: application/json", request.request_id));
  store(request, decode_single(request.body), std::move(respond));
}

void router::ingest_batch(const incoming_request& request, respond_fn respond) const {
  auto type = media_type(request.content_type);
  if (!is_json(type) && !is_ndjson(type))
    return respond(error_response(415, "unsupported_media_type",
                                  "send Content-Type: application/json (an array) or "
                                  "application/x-ndjson (one snapshot per line)",
                                  request.request_id));
  store(request, decode_batch(request.body, is_ndjson(type)), std::move(respond));
}

void router::store(const incoming_request& request, decoded_body&& decoded,
                   respond_fn respond) const {
  switch (decoded.result) {
    case decoded_body::outcome::malformed:
      return respond(error_response(400, "malformed_json", decoded.message, request.request_id,
                                    decoded.details));
    case decoded_body::outcome::too_many:
      return respond(error_response(413, "payload_too_large", decoded.message, request.request_id));
    case decoded_body::outcome::invalid:
      return respond(error_response(422, "validation_failed", decoded.message, request.request_id,
                                    decoded.details));
    case decoded_body::outcome::ok: break;
  }
  auto snapshots =
      std::make_shared<const std::vector<metrics::snapshot>>(std::move(decoded.snapshots));
  std::string request_id{request.request_id};
  ask<actors::ingest_ack>(
      system_, services_.ingest_router, config_.request_timeout,
      [respond = std::move(respond), request_id](caf::expected<actors::ingest_ack> ack) {
        if (!ack)
          return respond(failure_response(ack.error(), request_id));
        respond(response{ack->stored > 0 ? 201u : 200u, ingest_ack_body(*ack), {}});
      },
      actors::ingest_atom::value, actors::snapshot_list{std::move(snapshots)});
}

void router::health(const incoming_request&, respond_fn respond) const {
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                 config_.started);
  ask<actors::database_health>(
      system_, services_.write_queue, health_timeout,
      [respond = std::move(respond), version = config_.version,
       uptime](caf::expected<actors::database_health> h) {
        const actors::database_health* health = h ? &*h : nullptr;
        respond(
            response{health && health->up ? 200u : 503u, health_body(health, version, uptime), {}});
      },
      caf::get_atom::value, actors::health_atom::value);
}

void router::system_info(const incoming_request& request, respond_fn respond) const {
  process_facts facts{config_.version,
                      std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - config_.started),
                      config_.http_threads, config_.caf_threads, config_.analytics_actors};
  std::string request_id{request.request_id};
  auto& system = system_;
  auto cache = services_.cache;
  auto timeout = config_.request_timeout;
  ask<actors::system_stats>(
      system_, services_.ingest_router, config_.request_timeout,
      [&system, cache, timeout, respond = std::move(respond), facts,
       request_id](caf::expected<actors::system_stats> stats) {
        if (!stats)
          return respond(failure_response(stats.error(), request_id));
        // The cache owns its own counters: ask it second and answer with both.
        ask<actors::cache_stats>(
            system, cache, timeout,
            [respond, facts, request_id,
             stats = std::move(*stats)](caf::expected<actors::cache_stats> cache) mutable {
              if (!cache)
                return respond(failure_response(cache.error(), request_id));
              stats.cache = *cache;
              respond(response{200, system_info_body(stats, facts), {}});
            },
            caf::get_atom::value, actors::stats_atom::value);
      },
      caf::get_atom::value, actors::stats_atom::value);
}

} // namespace traffic::http
