// traffic-server's composition root: settings, database schema, actors, HTTP, shutdown.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/analytics_actor.hpp"
#include "actors/cache_actor.hpp"
#include "actors/ingest_router_actor.hpp"
#include "actors/live_metrics_actor.hpp"
#include "actors/messages.hpp"
#include "actors/retention_actor.hpp"
#include "actors/write_queue_actor.hpp"
#include "config/dotenv.hpp"
#include "config/logging.hpp"
#include "config/settings.hpp"
#include "http/listener.hpp"
#include "http/report_json.hpp"
#include "http/router.hpp"
#include "http/server_context.hpp"
#include "http/web_assets.hpp"
#include "storage/connection_string.hpp"
#include "storage/migrator.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using traffic::config::settings;

constexpr int exit_bad_config = 2;
constexpr int exit_startup_failed = 1;
/// How long start-up waits for an unreachable database before giving up.
constexpr auto database_startup_patience = 30s;
/// How long shutdown waits for queued writes and in-flight requests.
constexpr auto shutdown_patience = 15s;
/// File descriptors kept free of client connections: database connections, logs, the web
/// files, the event loop's own.
constexpr rlim_t reserved_descriptors = 128;

/// Reads settings from .env, the environment and flags; prints every problem and returns
/// nothing when any value is bad.
std::optional<settings> load_settings(int argc, char** argv) {
  traffic::config::value_map dotenv;
  if (std::ifstream file{".env"}) {
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = traffic::config::parse_dotenv(text.str());
    for (const auto& e : parsed.errors)
      std::cerr << "traffic-server: .env " << e << '\n';
    if (!parsed.errors.empty())
      return std::nullopt;
    dotenv = std::move(parsed.values);
  }
  traffic::config::value_map environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text{*entry};
    auto eq = text.find('=');
    if (eq != std::string_view::npos)
      environment.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  std::vector<std::string> flags{argv + 1, argv + argc};
  traffic::config::value_map merged;
  auto errors = traffic::config::merge_sources(dotenv, environment, flags, merged);
  auto parsed = traffic::config::parse_settings(merged);
  errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());
  if (!parsed.value.api_keys_file.empty()) {
    std::ifstream file{parsed.value.api_keys_file};
    std::stringstream text;
    if (!file || !(text << file.rdbuf())) {
      errors.push_back("API_KEYS_FILE='" + parsed.value.api_keys_file + "': cannot read it");
    } else {
      auto keys = traffic::config::parse_api_keys(text.str(), "API_KEYS_FILE");
      auto added = traffic::config::add_key_file(parsed.value, keys);
      errors.insert(errors.end(), added.begin(), added.end());
    }
  }
  if (errors.empty()) {
    auto access = traffic::config::check_access(parsed.value);
    errors.insert(errors.end(), access.begin(), access.end());
  }
  for (const auto& e : errors)
    std::cerr << "traffic-server: bad configuration: " << e << '\n';
  if (!errors.empty())
    return std::nullopt;
  return parsed.value;
}

/// Applies migrations, waiting for a database that is still starting.
bool migrate(const std::string& conninfo) {
  auto deadline = std::chrono::steady_clock::now() + database_startup_patience;
  for (;;) {
    auto report = traffic::storage::apply_migrations(conninfo);
    if (report.ok) {
      spdlog::info("schema ready: migrations_applied={} already_applied={}", report.applied,
                   report.already);
      return true;
    }
    if (!report.unavailable || std::chrono::steady_clock::now() > deadline) {
      spdlog::critical("cannot prepare the database schema: error=\"{}\"", report.error);
      return false;
    }
    spdlog::warn("database not reachable yet, retrying: error=\"{}\"", report.error);
    std::this_thread::sleep_for(1s);
  }
}

/// Raises the soft open-files limit to the hard one (each connection is a descriptor; the
/// usual soft limit of 1024 would cap the server near a thousand clients) and returns the
/// limit in force.
rlim_t raise_open_files_limit() {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) {
    spdlog::warn("cannot read the open-files limit: errno={}", errno);
    return RLIM_INFINITY;
  }
  if (files.rlim_cur < files.rlim_max) {
    auto before = files.rlim_cur;
    files.rlim_cur = files.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &files) == 0) {
      spdlog::info("open-files limit raised: from={} to={}", before, files.rlim_cur);
    } else {
      files.rlim_cur = before;
      spdlog::warn("cannot raise the open-files limit: soft={} hard={} errno={}", before,
                   files.rlim_max, errno);
    }
  }
  return files.rlim_cur;
}

/// Returns HTTP_MAX_CONNECTIONS, lowered to what the open-files limit leaves for clients.
std::size_t connection_limit(const settings& cfg, rlim_t open_files) {
  auto wanted = static_cast<std::size_t>(cfg.http_max_connections);
  if (open_files == RLIM_INFINITY)
    return wanted;
  auto room =
      open_files > reserved_descriptors * 2 ? open_files - reserved_descriptors : open_files / 2;
  auto limit = std::min<std::size_t>(wanted, static_cast<std::size_t>(room));
  if (limit < wanted)
    spdlog::warn("HTTP_MAX_CONNECTIONS lowered to fit the open-files limit: wanted={} used={} "
                 "open_files_limit={}",
                 wanted, limit, open_files);
  return std::max<std::size_t>(limit, 1);
}

/// Waits until `predicate` holds or `patience` runs out; returns whether it held.
template <class Predicate>
bool wait_for(Predicate predicate, std::chrono::milliseconds patience) {
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

int run(settings& cfg) {
  const auto open_files = raise_open_files_limit();
  auto conninfo = traffic::storage::connection_string(cfg.database_url, cfg.db_connect_timeout);
  if (!migrate(conninfo))
    return exit_startup_failed;

  caf::actor_system_config caf_cfg;
  caf_cfg.set("scheduler.max-threads", cfg.caf_threads);
  caf::actor_system system{caf_cfg};

  traffic::actors::write_queue_config queue_cfg;
  queue_cfg.conninfo = conninfo;
  queue_cfg.writers = cfg.writer_pool_size;
  queue_cfg.batch_rows = cfg.writer_batch_rows;
  queue_cfg.batch_delay = cfg.writer_batch_delay;
  queue_cfg.queue_snapshots = cfg.writer_queue_rows;
  queue_cfg.statement_timeout = cfg.db_statement_timeout;
  queue_cfg.probe_timeout = cfg.db_probe_timeout;
  // Inner timeouts end before outer ones, so a slow database gets the precise 503 of the write
  // queue rather than the HTTP side's generic 504: job (80%) < router (90%) < request.
  queue_cfg.job_timeout = std::min<std::chrono::milliseconds>(
      cfg.db_statement_timeout + cfg.db_connect_timeout + 1s, cfg.request_timeout * 8 / 10);
  auto write_queue = traffic::actors::spawn_write_queue(system, queue_cfg);

  traffic::actors::analytics_config analytics_cfg{
      conninfo, cfg.analytics_pool_size, cfg.db_statement_timeout, traffic::http::answer_body};
  auto analytics = traffic::actors::spawn_analytics_pool(system, analytics_cfg);

  traffic::actors::cache_config cache_cfg;
  cache_cfg.max_bytes = cfg.cache_max_bytes;
  cache_cfg.ttl = cfg.cache_ttl;
  cache_cfg.query_timeout = cfg.request_timeout * 9 / 10;
  auto cache = traffic::actors::spawn_cache(system, analytics, cache_cfg);

  traffic::actors::live_metrics_config live_cfg;
  live_cfg.encode = traffic::http::live_metrics_event;
  auto live_metrics = traffic::actors::spawn_live_metrics(system, live_cfg);

  traffic::actors::ingest_router_config router_cfg;
  router_cfg.write_timeout = cfg.request_timeout * 9 / 10;
  router_cfg.simulation_idle = cfg.simulation_idle;
  router_cfg.cache = cache;
  router_cfg.live_metrics = live_metrics;
  auto ingest_router = traffic::actors::spawn_ingest_router(system, write_queue, router_cfg);

  caf::actor retention;
  if (cfg.retention_days > 0) {
    traffic::actors::retention_config retention_cfg;
    retention_cfg.days = cfg.retention_days;
    retention_cfg.interval = cfg.retention_check;
    retention_cfg.analytics = analytics;
    retention_cfg.cache = cache;
    retention_cfg.ingest_router = ingest_router;
    retention = traffic::actors::spawn_retention(system, retention_cfg);
    spdlog::info("retention: runs without new data for {} days are deleted; check_every_s={}",
                 cfg.retention_days, cfg.retention_check.count());
  }

  traffic::http::router_config http_cfg;
  http_cfg.request_timeout = cfg.request_timeout;
  http_cfg.version = TRAFFIC_VERSION;
  http_cfg.http_threads = cfg.http_threads;
  http_cfg.caf_threads = cfg.caf_threads;
  http_cfg.analytics_actors = cfg.analytics_pool_size;
  http_cfg.start_time_seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  http_cfg.auth_required = cfg.auth_required;
  for (const auto& key : cfg.api_keys)
    http_cfg.keys.add(key.name, key.scopes, key.token);
  http_cfg.cors_origins = cfg.cors_allowed_origins;
  std::vector<std::string> missing_web_files;
  auto web_dir = cfg.web_dir.empty() ? std::string{TRAFFIC_DEFAULT_WEB_DIR} : cfg.web_dir;
  http_cfg.assets = traffic::http::load_web_assets(web_dir, missing_web_files);
  for (const auto& missing : missing_web_files)
    spdlog::warn("web file not served: {} (scripts/run and scripts/test install them with npm; "
                 "set WEB_DIR to the folder holding docs/ and node_modules/)",
                 missing);
  spdlog::info("access: auth_required={} api_keys={} cors_origins={}", cfg.auth_required,
               cfg.api_keys.size(), cfg.cors_allowed_origins.size());
  traffic::http::router routes{
      system, {ingest_router, write_queue, analytics, cache, live_metrics}, std::move(http_cfg)};
  // The router keeps only hashes: wipe the plain tokens this process still holds.
  for (auto& key : cfg.api_keys)
    std::fill(key.token.begin(), key.token.end(), '\0');
  std::fill(cfg.admin_token.begin(), cfg.admin_token.end(), '\0');
  traffic::http::server_context context{routes};
  context.body_limit = cfg.body_limit_bytes;
  context.header_timeout = cfg.http_header_timeout;
  context.body_timeout = cfg.http_body_timeout;
  context.idle_timeout = cfg.http_idle_timeout;
  context.max_connections = connection_limit(cfg, open_files);
  context.max_body_bytes_in_flight = cfg.http_max_inflight_body_bytes;

  auto stop_actors = [&] {
    for (const auto& actor : {ingest_router, write_queue, cache, live_metrics})
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    traffic::actors::stop_analytics_pool(system, analytics);
    if (retention)
      caf::anon_send_exit(retention, caf::exit_reason::user_shutdown);
  };

  boost::asio::io_context io{cfg.http_threads};
  // Sessions waiting for an actor's answer have no pending I/O; without this guard the I/O
  // threads would return from run() once the acceptor closes at shutdown, and those answers,
  // posted later, would never be written.
  auto io_work = boost::asio::make_work_guard(io);
  std::shared_ptr<traffic::http::listener> listener;
  try {
    boost::asio::ip::tcp::endpoint endpoint{boost::asio::ip::make_address(cfg.http_host),
                                            cfg.http_port};
    listener = std::make_shared<traffic::http::listener>(io, endpoint, context);
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen: host={} port={} error=\"{}\"", cfg.http_host, cfg.http_port,
                     e.what());
    stop_actors();
    return exit_startup_failed;
  }
  listener->run();

  std::promise<int> stop_signal;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (!ec)
      stop_signal.set_value(signal);
  });

  std::vector<std::thread> io_threads;
  for (int i = 0; i < cfg.http_threads; ++i)
    io_threads.emplace_back([&io] { io.run(); });
  spdlog::info("traffic-server {} listening: url=http://{}:{} http_threads={} actor_threads={} "
               "writers={} max_connections={}",
               TRAFFIC_VERSION, cfg.http_host, listener->port(), cfg.http_threads, cfg.caf_threads,
               cfg.writer_pool_size, context.max_connections);

  auto signal = stop_signal.get_future().get();
  spdlog::info("shutting down: signal={}", signal);
  // Stop taking connections, let queued writes commit and in-flight requests get their
  // answers, then stop the I/O threads and the actors, in that order.
  listener->stop();
  context.stopping = true;
  {
    caf::scoped_actor self{system};
    bool drained = false;
    self->request(write_queue, shutdown_patience, traffic::actors::drain_atom::value)
        .receive([&](bool) { drained = true; },
                 [&](const caf::error& e) {
                   spdlog::error("write queue did not drain: error=\"{}\"", system.render(e));
                 });
    if (drained)
      spdlog::info("write queue drained");
  }
  if (!wait_for([&] { return context.in_flight.load() == 0; }, shutdown_patience))
    spdlog::warn("requests still in flight at shutdown: count={}", context.in_flight.load());
  io_work.reset();
  io.stop();
  for (auto& thread : io_threads)
    thread.join();
  stop_actors();
  system.await_all_actors_done();
  spdlog::info("stopped");
  return EXIT_SUCCESS;
}

} // namespace

int main(int argc, char** argv) {
  auto cfg = load_settings(argc, argv);
  if (!cfg)
    return exit_bad_config;
  traffic::config::setup_logging(*cfg);
  int code = run(*cfg);
  spdlog::shutdown();
  return code;
}
