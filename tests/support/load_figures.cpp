// Small helpers the load and fault tests share: sizes from the environment, percentiles,
// durations and a process's peak memory.
#include "tests/support/load_figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

namespace traffic::tests {

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::max(0, std::atoi(text)) : fallback;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double ms_between(std::chrono::steady_clock::time_point from,
                  std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

long proc_status_number(pid_t pid, const char* field) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  const std::string prefix = std::string{field} + ":";
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(prefix, 0) == 0)
      return std::atol(line.c_str() + prefix.size());
  return 0;
}

long peak_rss_kb(pid_t pid) {
  return proc_status_number(pid, "VmHWM");
}

} // namespace traffic::tests
