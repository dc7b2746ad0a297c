// Maps method and path to the handler of each endpoint; handlers ask actors and answer.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>
#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "http/api_keys.hpp"
#include "http/cors.hpp"
#include "http/http_metrics.hpp"
#include "http/json_responses.hpp"
#include "http/response.hpp"
#include "http/static_assets.hpp"
#include "metrics/analytics_query.hpp"

namespace traffic::http {

/// The actors the routes talk to.
struct service_handles {
  caf::actor ingest_router; ///< ingest and system stats
  caf::actor write_queue;   ///< database health
  caf::actor analytics;     ///< simulation updates (queries go through the cache)
  caf::actor cache;         ///< every analytics, dashboard and chart query; clear-cache
  caf::actor live_metrics;  ///< the live dashboard
};

/// What a route needs to know of a request.
struct incoming_request {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string_view target; ///< path and query, as sent
  std::string_view content_type;
  std::string_view body;
  std::string_view request_id;
  std::string_view authorization; ///< the Authorization header, if any
  std::string_view origin;        ///< the Origin header of a browser request, if any
};

/// Timeouts and facts the routes use.
struct router_config {
  std::chrono::milliseconds request_timeout{10000};
  std::string version;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  int http_threads = 0;
  int caf_threads = 0;
  int analytics_actors = 0;
  double start_time_seconds = 0;         ///< Unix time the process started, for /metrics
  bool auth_required = false;            ///< every non-public route needs a key with its scope
  key_ring keys;                         ///< API keys; admin routes answer 403 while none has admin
  std::vector<std::string> cors_origins; ///< CORS_ALLOWED_ORIGINS
  std::shared_ptr<const static_assets> assets; ///< /openapi.json, /docs and the dashboard
};

/// One route as documented: method, path template ("/api/v1/simulations/{simulation_id}") and
/// the scope a key needs for it.
struct route_description {
  std::string method;
  std::string path;
  scope needed = scope::none;
};

/// Returns every route the router serves, in the order it tries them.
const std::vector<route_description>& route_descriptions();

/// Routes every request to its handler. Handlers decode and validate on the calling thread
/// (CPU only), then ask actors through the bridge; `respond` is called exactly once, possibly
/// from a CAF thread.
class router {
 public:
  router(caf::actor_system& system, service_handles services, router_config config);

  /// Answers `request` through `respond`. Never blocks, never throws. Returns the slot of the
  /// route it matched, for record().
  std::size_t handle(const incoming_request& request, respond_fn respond) const;

  /// The slot of requests that matched no route (including those that could not be read).
  std::size_t unmatched_slot() const { return metrics_->unmatched(); }

  /// Counts an answered request for /metrics. Thread-safe and lock-free.
  void record(std::size_t slot, std::string_view method, unsigned status, double seconds) const {
    metrics_->record(slot, method, status, seconds);
  }

 private:
  void ingest_single(const incoming_request& request, respond_fn respond) const;
  void ingest_batch(const incoming_request& request, respond_fn respond) const;
  void query(const incoming_request& request, metrics::query_kind kind,
             std::optional<std::string> path_id, respond_fn respond) const;
  void live_metrics(const incoming_request& request, respond_fn respond) const;
  void update_simulation(const incoming_request& request, std::string id, respond_fn respond) const;
  void delete_simulation(const incoming_request& request, std::string id, respond_fn respond) const;
  void clear_cache(const incoming_request& request, respond_fn respond) const;
  void health(const incoming_request& request, respond_fn respond) const;
  void system_info(const incoming_request& request, respond_fn respond) const;
  void prometheus_metrics(const incoming_request& request, respond_fn respond) const;
  void event_stream(const incoming_request& request, respond_fn respond) const;
  void static_file(const incoming_request& request, std::string_view path,
                   respond_fn respond) const;
  std::optional<response> refuse(const incoming_request& request, scope needed) const;
  void store(const incoming_request& request, decoded_body&& decoded, respond_fn respond) const;

  caf::actor_system& system_;
  service_handles services_;
  router_config config_;
  cors_policy cors_;
  std::unique_ptr<http_metrics> metrics_; ///< its counters are atomics: record() is const
};

} // namespace traffic::http
