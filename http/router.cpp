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
#include "http/prometheus_text.hpp"
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

/// Returns the path and query of an absolute-form target ("http://host:port/p?q" -> "/p?q",
/// "http://host" -> "/"); any other target unchanged.
std::string_view origin_form(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() < scheme.size())
      continue;
    bool same = true;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      same = same && std::tolower(static_cast<unsigned char>(target[i])) == scheme[i];
    if (!same)
      continue;
    auto rest = target.substr(scheme.size());
    auto slash = rest.find_first_of("/?");
    if (slash == std::string_view::npos)
      return "/";
    return rest[slash] == '/' ? rest.substr(slash) : std::string_view{"/"};
  }
  return target;
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
  prometheus_metrics,
  event_stream, ///< the live view pushed as Server-Sent Events
  static_file,  ///< docs, the OpenAPI document, the dashboard: from static_assets
};

struct route {
  bh::verb method;
  std::vector<std::string_view> pattern; ///< "{name}" captures one segment
  endpoint target;
  scope needed;
  metrics::query_kind kind = metrics::query_kind::summary; ///< for endpoint::query
};

const std::vector<route>& routes() {
  using k = metrics::query_kind;
  using e = endpoint;
  constexpr auto get = bh::verb::get;
  static const std::vector<route> table{
      {bh::verb::post, {"api", "v1", "ingest", "simulation"}, e::ingest_single, scope::ingest},
      {bh::verb::post, {"api", "v1", "ingest", "batch"}, e::ingest_batch, scope::ingest},
      {get,
       {"api", "v1", "analytics", "simulation", "{simulation_id}", "summary"},
       e::query,
       scope::read,
       k::summary},
      {get, {"api", "v1", "analytics", "wait-times"}, e::query, scope::read, k::wait_times},
      {get, {"api", "v1", "analytics", "speeds"}, e::query, scope::read, k::speeds},
      {get,
       {"api", "v1", "analytics", "environmental-impact"},
       e::query,
       scope::read,
       k::environmental_impact},
      {get,
       {"api", "v1", "analytics", "comparison", "baseline-vs-ai"},
       e::query,
       scope::read,
       k::comparison},
      {get,
       {"api", "v1", "analytics", "emergency-report"},
       e::query,
       scope::read,
       k::emergency_report},
      {get,
       {"api", "v1", "analytics", "time-series", "{simulation_id}"},
       e::query,
       scope::read,
       k::time_series},
      {get, {"api", "v1", "dashboard", "live-metrics"}, e::live_metrics, scope::read},
      {get, {"api", "v1", "dashboard", "stream"}, e::event_stream, scope::read},
      {get,
       {"api", "v1", "dashboard", "performance-comparison"},
       e::query,
       scope::read,
       k::performance_dashboard},
      {get, {"api", "v1", "charts", "wait-time-trend"}, e::query, scope::read, k::wait_time_trend},
      {get,
       {"api", "v1", "charts", "performance-scatter"},
       e::query,
       scope::read,
       k::performance_scatter},
      {get, {"api", "v1", "simulations"}, e::query, scope::read, k::simulations},
      {bh::verb::put,
       {"api", "v1", "simulations", "{simulation_id}"},
       e::update_simulation,
       scope::ingest},
      {bh::verb::delete_,
       {"api", "v1", "simulations", "{simulation_id}"},
       e::delete_simulation,
       scope::admin},
      {bh::verb::post, {"api", "v1", "admin", "clear-cache"}, e::clear_cache, scope::admin},
      {get, {"health"}, e::health, scope::none},
      {get, {"system", "info"}, e::system_info, scope::read},
      {get, {"metrics"}, e::prometheus_metrics, scope::none},
      {get, {"openapi.json"}, e::static_file, scope::none},
      {get, {"docs"}, e::static_file, scope::none},
      {get, {"docs", "{asset}"}, e::static_file, scope::none},
      {get, {}, e::static_file, scope::none},
      {get, {"dashboard"}, e::static_file, scope::none},
      {get, {"dashboard", "{asset}"}, e::static_file, scope::none},
  };
  return table;
}

bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::string path_of(const route& r) {
  std::string path;
  for (auto segment : r.pattern)
    path += "/" + std::string{segment};
  return path.empty() ? "/" : path;
}

/// The distinct path templates, in table order: the route slots of http_metrics.
const std::vector<std::string>& route_paths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> out;
    for (const auto& r : routes())
      if (auto p = path_of(r); std::find(out.begin(), out.end(), p) == out.end())
        out.push_back(p);
    return out;
  }();
  return paths;
}

/// The http_metrics slot of each route, by its position in routes().
const std::vector<std::size_t>& route_slots() {
  static const std::vector<std::size_t> slots = [] {
    const auto& paths = route_paths();
    std::vector<std::size_t> out;
    for (const auto& r : routes())
      out.push_back(static_cast<std::size_t>(std::find(paths.begin(), paths.end(), path_of(r)) -
                                             paths.begin()));
    return out;
  }();
  return slots;
}

bool matches(const route& r, const std::vector<std::string_view>& segments,
             std::vector<std::string_view>& captures) {
  if (r.pattern.size() != segments.size())
    return false;
  captures.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (is_capture(r.pattern[i]))
      captures.push_back(segments[i]);
    else if (r.pattern[i] != segments[i])
      return false;
  }
  return true;
}

/// Returns the 401 answer; WWW-Authenticate tells clients which scheme to use.
response unauthorized(std::string_view message, std::string_view request_id,
                      const char* error = nullptr) {
  auto r = error_response(401, "unauthorized", message, request_id);
  std::string challenge = "Bearer realm=\"traffic-server\"";
  if (error)
    challenge += std::string{", error=\""} + error + "\"";
  r.headers.emplace_back("WWW-Authenticate", challenge);
  return r;
}

} // namespace

const std::vector<route_description>& route_descriptions() {
  static const std::vector<route_description> described = [] {
    std::vector<route_description> out;
    for (const auto& r : routes())
      out.push_back({std::string{bh::to_string(r.method)}, path_of(r), r.needed});
    return out;
  }();
  return described;
}

router::router(caf::actor_system& system, service_handles services, router_config config)
    : system_{system}, services_{std::move(services)}, config_{std::move(config)},
      cors_{config_.cors_origins}, metrics_{std::make_unique<http_metrics>(route_paths())} {}

std::optional<response> router::refuse(const incoming_request& request, scope needed) const {
  const std::string* key = nullptr;
  switch (config_.keys.check(request.authorization, needed, config_.auth_required, &key)) {
    case access::granted: return std::nullopt;
    case access::admin_off:
      return error_response(403, "forbidden",
                            "admin routes are off: configure a key with the admin scope "
                            "(API_KEYS=name:admin:token or ADMIN_TOKEN) and send "
                            "Authorization: Bearer <token>",
                            request.request_id);
    case access::missing:
      return unauthorized(std::string{"send Authorization: Bearer <token> of a key with the "} +
                              scope_name(needed) + " scope",
                          request.request_id);
    case access::unknown_key:
      return unauthorized("unknown API key", request.request_id, "invalid_token");
    case access::insufficient_scope: {
      auto r = error_response(403, "forbidden",
                              "key '" + *key + "' lacks the " + scope_name(needed) + " scope",
                              request.request_id);
      r.headers.emplace_back("WWW-Authenticate",
                             std::string{"Bearer realm=\"traffic-server\", "
                                         "error=\"insufficient_scope\", scope=\""} +
                                 scope_name(needed) + "\"");
      return r;
    }
  }
  return std::nullopt;
}

std::size_t router::handle(const incoming_request& request, respond_fn respond) const {
  if (!request.origin.empty() && cors_.allows(request.origin))
    respond = [this, origin = std::string{request.origin}, inner = std::move(respond)](response r) {
      cors_.decorate(r, origin);
      inner(std::move(r));
    };
  // Origin form ("/path?query") or absolute form ("http://host/path", which servers must
  // accept, RFC 9112 3.2.2). Beast also takes "health" or "*" as a target; without this check
  // split_path would serve "health" as "/health".
  auto target = origin_form(request.target);
  if (target.empty() || target.front() != '/') {
    respond(error_response(400, "bad_request", "the request target must start with /",
                           request.request_id));
    return unmatched_slot();
  }
  auto path = target.substr(0, target.find('?'));
  auto segments = split_path(path);
  std::vector<std::string_view> captures;
  std::string allowed;
  std::optional<std::size_t> matched_path;
  const auto& table = routes();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& r = table[i];
    if (!matches(r, segments, captures))
      continue;
    auto slot = route_slots()[i];
    if (!matched_path)
      matched_path = slot;
    // HEAD is GET without the body, which the session leaves out (RFC 9110 9.3.2).
    bool same_method = r.method == request.method ||
                       (r.method == bh::verb::get && request.method == bh::verb::head);
    if (!same_method) {
      allowed += (allowed.empty() ? "" : ", ") + std::string{bh::to_string(r.method)};
      continue;
    }
    if (auto refusal = refuse(request, r.needed)) {
      respond(std::move(*refusal));
      return slot;
    }
    std::optional<std::string> path_id;
    if (!captures.empty()) {
      path_id = percent_decode(captures[0]);
      if (!path_id) {
        respond(error_response(400, "bad_request", "broken percent-encoding in the path",
                               request.request_id));
        return slot;
      }
    }
    switch (r.target) {
      case endpoint::ingest_single: ingest_single(request, std::move(respond)); break;
      case endpoint::ingest_batch: ingest_batch(request, std::move(respond)); break;
      case endpoint::query: query(request, r.kind, std::move(path_id), std::move(respond)); break;
      case endpoint::live_metrics: live_metrics(request, std::move(respond)); break;
      case endpoint::update_simulation:
        if (!is_json(media_type(request.content_type))) {
          respond(error_response(415, "unsupported_media_type",
                                 "send Content-Type: application/json", request.request_id));
          break;
        }
        update_simulation(request, std::move(*path_id), std::move(respond));
        break;
      case endpoint::delete_simulation:
        delete_simulation(request, std::move(*path_id), std::move(respond));
        break;
      case endpoint::clear_cache: clear_cache(request, std::move(respond)); break;
      case endpoint::health: health(request, std::move(respond)); break;
      case endpoint::system_info: system_info(request, std::move(respond)); break;
      case endpoint::prometheus_metrics: prometheus_metrics(request, std::move(respond)); break;
      case endpoint::event_stream: event_stream(request, std::move(respond)); break;
      case endpoint::static_file: static_file(request, path, std::move(respond)); break;
    }
    return slot;
  }
  if (!matched_path) {
    respond(error_response(404, "not_found", "no such endpoint", request.request_id));
    return unmatched_slot();
  }
  if (request.method == bh::verb::options) {
    respond(cors_.preflight(request.origin, allowed, request.request_id));
    return *matched_path;
  }
  auto r =
      error_response(405, "method_not_allowed", "this path accepts " + allowed, request.request_id);
  r.headers.emplace_back("Allow", allowed);
  respond(std::move(r));
  return *matched_path;
}

void router::static_file(const incoming_request& request, std::string_view path,
                         respond_fn respond) const {
  // "/dashboard/" is "/dashboard": pages link to their files relative to either.
  while (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  const auto* file = config_.assets ? config_.assets->find(path) : nullptr;
  if (!file)
    return respond(error_response(404, "not_found", "no such file", request.request_id));
  response r{200, *file->body, {}, file->content_type};
  // Pages may change with the server; the vendored libraries only with a new build.
  r.headers.emplace_back("Cache-Control", "no-cache");
  respond(std::move(r));
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

void router::prometheus_metrics(const incoming_request& request, respond_fn respond) const {
  std::string request_id{request.request_id};
  auto& system = system_;
  auto cache = services_.cache;
  auto live = services_.live_metrics;
  auto timeout = config_.request_timeout;
  scrape_facts facts{config_.version, config_.start_time_seconds, 0};
  const http_metrics& http = *metrics_;
  // Each actor owns its counters: ask the ingest side, then the cache, then the live view.
  ask<actors::system_stats>(
      system_, services_.ingest_router, timeout,
      [&system, &http, cache, live, timeout, facts, respond = std::move(respond),
       request_id](caf::expected<actors::system_stats> stats) mutable {
        if (!stats)
          return respond(failure_response(stats.error(), request_id));
        ask<actors::cache_stats>(
            system, cache, timeout,
            [&system, &http, live, timeout, facts, respond = std::move(respond), request_id,
             stats = std::move(*stats)](caf::expected<actors::cache_stats> counters) mutable {
              if (!counters)
                return respond(failure_response(counters.error(), request_id));
              stats.cache = *counters;
              ask<actors::live_metrics>(
                  system, live, timeout,
                  [&http, facts, respond = std::move(respond), request_id,
                   stats = std::move(stats)](caf::expected<actors::live_metrics> now) mutable {
                    if (!now)
                      return respond(failure_response(now.error(), request_id));
                    facts.active_simulations = now->active_simulations;
                    respond(response{
                        200, render_prometheus(stats, facts, http), {}, prometheus_content_type});
                  },
                  caf::get_atom::value, actors::live_atom::value);
            },
            caf::get_atom::value, actors::stats_atom::value);
      },
      caf::get_atom::value, actors::stats_atom::value);
}

void router::event_stream(const incoming_request& request, respond_fn respond) const {
  if (auto mark = request.target.find('?'); mark != std::string_view::npos)
    return respond(error_response(400, "bad_request", "the stream takes no query parameters",
                                  request.request_id));
  // "retry": how long a browser's EventSource waits before it reconnects.
  response r{200, "retry: 2000\n\n", {}, "text/event-stream"};
  r.headers.emplace_back("Cache-Control", "no-cache");
  // nginx and other proxies would otherwise hold events back in their buffers.
  r.headers.emplace_back("X-Accel-Buffering", "no");
  auto& system = system_;
  auto live = services_.live_metrics;
  auto timeout = config_.request_timeout;
  r.events = [&system, live, timeout](event_sink sink) {
    ask<bool>(
        system, live, timeout,
        [sink](caf::expected<bool> subscribed) {
          // Refused (too many streams) or no answer: end the stream; the browser retries.
          if (!subscribed || !*subscribed)
            sink(nullptr);
        },
        actors::subscribe_atom::value, actors::live_subscriber{sink});
  };
  respond(std::move(r));
}

} // namespace traffic::http
