// Routes that read: analytics, dashboard and chart queries (through the cache), the live view,
// and the routes that change how runs are read: PUT simulations and the admin clear-cache.
#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "http/actor_bridge.hpp"
#include "http/error_responses.hpp"
#include "http/query_params.hpp"
#include "http/report_json.hpp"
#include "http/router.hpp"
#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

/// Returns what follows '?' in a request target ("" when there is none).
std::string_view query_string(std::string_view target) {
  auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view{} : target.substr(mark + 1);
}

/// Answers `body` once the cache has dropped every answer that depends on `simulation_id`, so
/// no later query sees what the change replaced. Runs on a CAF thread (an ask's callback).
void answer_after_invalidation(caf::actor_system& system, const caf::actor& cache,
                               std::chrono::milliseconds timeout, std::string simulation_id,
                               std::string body, respond_fn respond, std::string request_id) {
  ask<std::int64_t>(
      system, cache, timeout,
      [respond = std::move(respond), request_id = std::move(request_id),
       body = std::move(body)](caf::expected<std::int64_t> dropped) {
        if (!dropped)
          return respond(failure_response(dropped.error(), request_id));
        respond(response{200, body, {}});
      },
      actors::invalidate_atom::value, std::vector<std::string>{std::move(simulation_id)});
}

} // namespace

void router::query(const incoming_request& request, metrics::query_kind kind,
                   std::optional<std::string> path_id, respond_fn respond) const {
  auto parsed = parse_analytics_query(kind, query_string(request.target), std::move(path_id));
  if (!parsed.query)
    return respond(error_response(400, "bad_request", "invalid query parameters",
                                  request.request_id, parsed.errors));
  std::string request_id{request.request_id};
  ask<actors::cached_answer>(
      system_, services_.cache, config_.request_timeout,
      [respond = std::move(respond), request_id](caf::expected<actors::cached_answer> answer) {
        if (!answer)
          return respond(failure_response(answer.error(), request_id));
        response r{200, *answer->body, {}};
        r.headers.emplace_back("X-Cache", answer->hit ? "HIT" : "MISS");
        respond(std::move(r));
      },
      actors::query_atom::value, std::move(*parsed.query));
}

void router::live_metrics(const incoming_request& request, respond_fn respond) const {
  if (!query_string(request.target).empty())
    return respond(error_response(400, "bad_request", "live-metrics takes no query parameters",
                                  request.request_id));
  std::string request_id{request.request_id};
  ask<actors::live_metrics>(
      system_, services_.live_metrics, config_.request_timeout,
      [respond = std::move(respond), request_id](caf::expected<actors::live_metrics> live) {
        if (!live)
          return respond(failure_response(live.error(), request_id));
        respond(response{200, live_metrics_body(*live), {}});
      },
      caf::get_atom::value, actors::live_atom::value);
}

void router::update_simulation(const incoming_request& request, std::string id,
                               respond_fn respond) const {
  if (!metrics::is_valid_id(id))
    return respond(error_response(
        400, "bad_request",
        "a simulation id is 1 to 128 letters, digits or _ - . :", request.request_id));
  std::vector<decode_detail> errors;
  bool malformed = false;
  auto update = parse_simulation_update(id, request.body, errors, malformed);
  if (malformed)
    return respond(error_response(400, "malformed_json", "the body must be a JSON object",
                                  request.request_id, errors));
  if (!update)
    return respond(error_response(422, "validation_failed", "the change is not valid",
                                  request.request_id, errors));
  std::string request_id{request.request_id};
  auto& system = system_;
  auto cache = services_.cache;
  auto timeout = config_.request_timeout;
  ask<metrics::simulation_info>(
      system_, services_.analytics, config_.request_timeout,
      [&system, cache, timeout, respond = std::move(respond),
       request_id](caf::expected<metrics::simulation_info> info) {
        if (!info)
          return respond(failure_response(info.error(), request_id));
        answer_after_invalidation(system, cache, timeout, info->simulation_id,
                                  simulation_info_body(*info), respond, request_id);
      },
      actors::update_atom::value, std::move(*update));
}

void router::delete_simulation(const incoming_request& request, std::string id,
                               respond_fn respond) const {
  if (!metrics::is_valid_id(id))
    return respond(error_response(
        400, "bad_request",
        "a simulation id is 1 to 128 letters, digits or _ - . :", request.request_id));
  std::string request_id{request.request_id};
  auto& system = system_;
  auto cache = services_.cache;
  auto ingest_router = services_.ingest_router;
  auto timeout = config_.request_timeout;
  ask<metrics::simulation_info>(
      system_, services_.analytics, config_.request_timeout,
      [&system, cache, ingest_router, timeout, respond = std::move(respond),
       request_id](caf::expected<metrics::simulation_info> info) {
        if (!info)
          return respond(failure_response(info.error(), request_id));
        // The live view forgets the run too.
        caf::anon_send(ingest_router, actors::remove_atom::value, info->simulation_id);
        answer_after_invalidation(system, cache, timeout, info->simulation_id,
                                  "{\"deleted\":" + simulation_info_body(*info) + "}", respond,
                                  request_id);
      },
      actors::remove_atom::value, std::move(id));
}

void router::clear_cache(const incoming_request& request, respond_fn respond) const {
  std::optional<std::string> simulation_id;
  auto parameters = query_string(request.target);
  if (!parameters.empty()) {
    auto parsed = parse_clear_cache_query(parameters);
    if (!parsed.errors.empty())
      return respond(error_response(400, "bad_request", "invalid query parameters",
                                    request.request_id, parsed.errors));
    simulation_id = parsed.simulation_id;
  }
  std::string request_id{request.request_id};
  auto done = [respond = std::move(respond), request_id,
               simulation_id](caf::expected<actors::cache_cleared> cleared) {
    if (!cleared)
      return respond(failure_response(cleared.error(), request_id));
    respond(response{200, cache_cleared_body(*cleared, simulation_id), {}});
  };
  if (simulation_id)
    ask<actors::cache_cleared>(system_, services_.cache, config_.request_timeout, std::move(done),
                               actors::clear_atom::value, *simulation_id);
  else
    ask<actors::cache_cleared>(system_, services_.cache, config_.request_timeout, std::move(done),
                               actors::clear_atom::value);
}

} // namespace traffic::http
