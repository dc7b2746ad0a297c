// Runs the traffic-server binary as a child process for end-to-end tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <sys/types.h>

namespace traffic::tests {

/// Environment variables given to the server, by name.
using env_map = std::map<std::string, std::string>;

/// Returns the path of the server under test (the TRAFFIC_SERVER_BINARY compile definition, or
/// the environment variable of that name when set).
std::string server_binary();

/// Returns a TCP port on 127.0.0.1 that was free a moment ago, below the range the kernel
/// gives to outgoing connections when it can.
std::uint16_t free_port();

/// Returns true when 127.0.0.1:`port` can be bound now.
bool port_is_free(std::uint16_t port);

/// Returns the folder for this test's logs (made if missing), named after the running test.
std::string test_log_dir();

/// One server process. The destructor SIGKILLs it if it still runs, and prints its log when
/// the current test has failed.
class server_process {
 public:
  /// Prepares a server for `database_url` on a free port with HTTP_HOST=127.0.0.1 and
  /// LOG_LEVEL=warn; `overrides` replace or add variables (an empty value removes one).
  explicit server_process(std::string database_url, env_map overrides = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  /// Starts the process and waits up to `ready_within` until GET /health answers (any status).
  /// Returns false, with the reason and the log in `error`, when it exits or never answers.
  bool start(std::string* error = nullptr,
             std::chrono::milliseconds ready_within = std::chrono::seconds{15});

  /// Starts the process without waiting for it to listen.
  void spawn();

  /// Sends SIGTERM and waits up to `within` for the exit. Returns the exit code (128 + signal
  /// when killed by a signal), or nothing after SIGKILLing a process that did not stop in time.
  std::optional<int> stop(std::chrono::milliseconds within = std::chrono::seconds{20});

  /// Sends SIGTERM and returns at once; wait_exit() collects the exit.
  void terminate();

  /// Waits up to `within` for the process to exit; returns its exit code as stop() does, or
  /// nothing when it still runs.
  std::optional<int> wait_exit(std::chrono::milliseconds within);

  /// Sends SIGKILL and reaps the process.
  void kill9();

  /// Writes every thread's stack (gdb, when installed) to stacks.txt beside the logs; stop()
  /// does so before it SIGKILLs a server that ignored SIGTERM.
  void dump_stacks();

  /// Returns true while the process has not been reaped.
  bool running();

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  /// Returns the variables the server was (or will be) started with.
  const env_map& environment() const { return env_; }

  /// Returns what the server wrote to stdout / stderr so far.
  std::string stdout_text() const;
  std::string stderr_text() const;

  /// Returns "== stdout ==\n...== stderr ==\n..." for failure messages.
  std::string logs() const;

 private:
  bool reap(bool block);
  std::string stacks_path() const;

  std::uint16_t port_;
  env_map env_;
  std::string log_dir_;
  std::string stdout_path_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

} // namespace traffic::tests
