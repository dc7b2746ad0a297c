// Request counts and latency histograms per route, method and status, for GET /metrics.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace traffic::http {

/// Counters every HTTP thread updates and /metrics reads. The only state the I/O threads
/// share besides the shutdown counters: relaxed atomics in arrays fixed at construction, so
/// recording never allocates, locks or waits.
class http_metrics {
 public:
  /// `routes` are the route labels (path templates); one more slot counts everything else.
  explicit http_metrics(std::vector<std::string> routes);

  /// The route slot of requests that matched no route (404, and errors before routing).
  std::size_t unmatched() const { return routes_.size(); }

  /// Counts one answered request. Never throws; a route out of range counts as unmatched.
  void record(std::size_t route, std::string_view method, unsigned status, double seconds) noexcept;

  /// Appends traffic_http_requests_total and traffic_http_request_duration_seconds in the
  /// Prometheus text format; only label sets that have been seen are written.
  void render(std::string& out) const;

  /// Upper bounds of the latency buckets, in seconds.
  static const std::vector<double>& latency_bounds();

 private:
  std::size_t method_slot(std::string_view method) const noexcept;
  std::size_t status_slot(unsigned status) const noexcept;

  std::vector<std::string> routes_;
  std::size_t methods_;
  std::size_t statuses_;
  std::size_t buckets_;                                      ///< latency_bounds().size() + 1 (+Inf)
  std::unique_ptr<std::atomic<std::uint64_t>[]> requests_;   ///< route x method x status
  std::unique_ptr<std::atomic<std::uint64_t>[]> latency_;    ///< route x method x bucket
  std::unique_ptr<std::atomic<std::uint64_t>[]> latency_ns_; ///< route x method: the sum
};

/// Returns `value` as the Prometheus text format writes floats, in as few digits as read back
/// exactly.
std::string prometheus_number(double value);

/// Returns `text` escaped for a Prometheus label value (backslash, quote, newline).
std::string prometheus_label(std::string_view text);

} // namespace traffic::http
