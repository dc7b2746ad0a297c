// Small helpers the load and fault tests share: sizes from the environment, percentiles,
// durations and a process's peak memory.
#pragma once

#include <chrono>
#include <vector>

#include <sys/types.h>

namespace traffic::tests {

/// How many times slower this build's server may answer than a plain build: a sanitizer adds
/// work to every memory access (tests/CMakeLists.txt sets it; the server has the same flags).
#ifdef TRAFFIC_SANITIZER_SLOWDOWN
inline constexpr int sanitizer_slowdown = TRAFFIC_SANITIZER_SLOWDOWN;
#else
inline constexpr int sanitizer_slowdown = 1;
#endif

/// Returns the integer in environment variable `name` (at least 0), or `fallback` when it is
/// unset or empty: the bench/ long forms set these to scale a test's short form.
int env_int(const char* name, int fallback);

/// Returns the nearest-rank `p` percentile (0..1) of `values`, 0 when there are none.
double percentile(std::vector<double> values, double p);

/// Returns the milliseconds from `from` to `to`.
double ms_between(std::chrono::steady_clock::time_point from,
                  std::chrono::steady_clock::time_point to);

/// Returns the number of field `field` ("VmHWM", "Threads", ...) of /proc/<pid>/status, or 0.
long proc_status_number(pid_t pid, const char* field);

/// Returns the peak resident memory (VmHWM) of process `pid` in kB, or 0.
long peak_rss_kb(pid_t pid);

} // namespace traffic::tests
