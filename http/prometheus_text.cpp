// The GET /metrics body: every counter of the server in the Prometheus text format 0.0.4.
#include "http/prometheus_text.hpp"

#include <ctime>
#include <fstream>

#include <unistd.h>

namespace traffic::http {

namespace {

/// Appends one metric family of a single unlabelled sample.
void family(std::string& out, const char* name, const char* type, const char* help, double value) {
  out += std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + " " + prometheus_number(value) + "\n";
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const char* name, const std::string& labels, double value) {
  out += std::string{name} + "{" + labels + "} " + prometheus_number(value) + "\n";
}

void histogram_family(std::string& out, const char* name, const char* help,
                      const metrics::histogram& h) {
  header(out, name, "histogram", help);
  std::int64_t cumulative = 0;
  const auto& bounds = h.upper_bounds();
  const auto& counts = h.bucket_counts();
  for (std::size_t b = 0; b < counts.size(); ++b) {
    cumulative += counts[b];
    auto le = b < bounds.size() ? prometheus_number(bounds[b]) : std::string{"+Inf"};
    out += std::string{name} + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += std::string{name} + "_sum " + prometheus_number(h.sum()) + "\n";
  out += std::string{name} + "_count " + std::to_string(h.count()) + "\n";
}

/// Resident set size from /proc (an in-memory file: no disk I/O), 0 where there is none.
double resident_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  long pages_total = 0;
  long pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident))
    return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
  timespec t{};
  if (::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0)
    return 0;
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

} // namespace

std::string render_prometheus(const actors::system_stats& stats, const scrape_facts& facts,
                              const http_metrics& http) {
  std::string out;
  out.reserve(16 * 1024);
  header(out, "traffic_build_info", "gauge", "Always 1; the version is a label.");
  sample(out, "traffic_build_info", "version=\"" + prometheus_label(facts.version) + "\"", 1);
  family(out, "process_start_time_seconds", "gauge", "Unix time the process started.",
         facts.start_time_seconds);
  family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
         resident_bytes());
  family(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent.",
         cpu_seconds());

  http.render(out);

  const auto& w = stats.writes;
  family(out, "traffic_snapshots_stored_total", "counter",
         "Snapshots committed to PostgreSQL (re-sent ones excluded).",
         static_cast<double>(w.snapshots_stored));
  family(out, "traffic_snapshot_duplicates_total", "counter",
         "Snapshots received again after they were stored, and not stored twice.",
         static_cast<double>(w.duplicates));
  header(out, "traffic_ingest_rejected_total", "counter",
         "Ingest requests answered 503, by reason.");
  sample(out, "traffic_ingest_rejected_total", "reason=\"queue_full\"",
         static_cast<double>(w.rejected_queue_full));
  sample(out, "traffic_ingest_rejected_total", "reason=\"database_unavailable\"",
         static_cast<double>(w.rejected_unavailable));
  family(out, "traffic_writer_queue_snapshots", "gauge",
         "Snapshots waiting for a writer (not yet in a transaction).",
         static_cast<double>(w.queued_snapshots));
  family(out, "traffic_writer_queue_requests", "gauge", "Ingest requests waiting for a writer.",
         static_cast<double>(w.queued_requests));
  family(out, "traffic_writer_queue_capacity_snapshots", "gauge",
         "Queue bound (WRITER_QUEUE_ROWS); ingest answers 503 beyond it.",
         static_cast<double>(w.capacity_snapshots));
  family(out, "traffic_writers", "gauge", "Writer actors, each with its own connection.",
         static_cast<double>(w.writers));
  family(out, "traffic_writers_busy", "gauge", "Writers with a batch in progress.",
         static_cast<double>(w.busy_writers));
  header(out, "traffic_writer_batches_total", "counter", "Write transactions, by outcome.");
  sample(out, "traffic_writer_batches_total", "outcome=\"committed\"",
         static_cast<double>(w.batches_committed));
  sample(out, "traffic_writer_batches_total", "outcome=\"failed\"",
         static_cast<double>(w.batches_failed));
  histogram_family(out, "traffic_writer_batch_rows", "Snapshots per committed transaction.",
                   w.batch_rows);
  histogram_family(out, "traffic_writer_commit_duration_seconds",
                   "Time from handing a batch to a writer to its commit.", w.commit_seconds);
  family(out, "traffic_database_up", "gauge",
         "1 when the last contact with PostgreSQL succeeded, else 0.", w.database.up ? 1 : 0);

  const auto& c = stats.cache;
  family(out, "traffic_cache_entries", "gauge", "Answers held by the cache.",
         static_cast<double>(c.entries));
  family(out, "traffic_cache_bytes", "gauge", "Bytes of the answers held by the cache.",
         static_cast<double>(c.bytes));
  family(out, "traffic_cache_capacity_bytes", "gauge", "Cache bound (CACHE_MAX_BYTES).",
         static_cast<double>(c.capacity_bytes));
  family(out, "traffic_cache_hits_total", "counter", "Queries answered from the cache.",
         static_cast<double>(c.hits));
  family(out, "traffic_cache_misses_total", "counter", "Queries that went to the database.",
         static_cast<double>(c.misses));
  family(out, "traffic_cache_evictions_total", "counter",
         "Answers dropped to stay within the byte bound.", static_cast<double>(c.evictions));
  family(out, "traffic_cache_expirations_total", "counter",
         "Answers found older than CACHE_TTL_SECONDS.", static_cast<double>(c.expirations));
  family(out, "traffic_cache_invalidations_total", "counter",
         "Answers dropped because their data changed.", static_cast<double>(c.invalidations));
  family(out, "traffic_cache_queries_in_flight", "gauge",
         "Distinct queries waiting for the analytics actors.", static_cast<double>(c.in_flight));

  family(out, "traffic_simulation_actors", "gauge",
         "Simulation actors alive (runs seen within SIMULATION_IDLE_SECONDS).",
         static_cast<double>(stats.simulation_actors));
  family(out, "traffic_active_simulations", "gauge",
         "Simulations with a commit in the last 60 seconds.",
         static_cast<double>(facts.active_simulations));
  family(out, "traffic_analytics_actors", "gauge", "Analytics actors (read connections).",
         static_cast<double>(stats.analytics_actors));
  return out;
}

} // namespace traffic::http
