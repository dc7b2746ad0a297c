// Runs the traffic-server binary as a child process for end-to-end tests.
#include "tests/support/server_process.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"

#ifndef TRAFFIC_SERVER_BINARY
#define TRAFFIC_SERVER_BINARY "traffic-server"
#endif

#ifndef TRAFFIC_TEST_LOG_ROOT
#define TRAFFIC_TEST_LOG_ROOT "/tmp/traffic-e2e-logs"
#endif

namespace traffic::tests {

namespace {

using namespace std::chrono_literals;

/// Variables of the test runner's environment that a server may need (sanitizer options,
/// PATH); everything else is left out so a stray HTTP_PORT or WRITER_* cannot leak in.
constexpr const char* passed_through[] = {"PATH",          "HOME",         "TMPDIR",
                                          "LANG",          "LC_ALL",       "ASAN_OPTIONS",
                                          "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"};

/// Characters of `text` up to the last `limit`, so a chatty log does not flood the output.
std::string tail(const std::string& text, std::size_t limit = 30000) {
  if (text.size() <= limit)
    return text;
  return "[... " + std::to_string(text.size() - limit) + " bytes cut ...]\n" +
         text.substr(text.size() - limit);
}

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void make_dirs(const std::string& path) {
  std::string partial;
  std::stringstream parts{path};
  std::string part;
  if (!path.empty() && path[0] == '/')
    partial = "/";
  while (std::getline(parts, part, '/')) {
    if (part.empty())
      continue;
    partial += part + "/";
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
      throw std::system_error(errno, std::generic_category(), "mkdir " + partial);
  }
}

std::string safe_name(std::string text) {
  for (char& c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      c = '_';
  return text;
}

int decode_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

std::string server_binary() {
  if (const char* path = std::getenv("TRAFFIC_SERVER_BINARY"); path && *path)
    return path;
  return TRAFFIC_SERVER_BINARY;
}

bool port_is_free(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return free;
}

std::uint16_t free_port() {
  // Below the kernel's range for outgoing connections: a port from bind(0) could be handed to a
  // client socket of a parallel test before the server binds it; these ports never are.
  int low = 32768;
  int high = 60999;
  std::ifstream{"/proc/sys/net/ipv4/ip_local_port_range"} >> low >> high;
  const int first = 20000;
  const int last = low - 1;
  if (last - first >= 1000) {
    static std::mt19937 rng{std::random_device{}()};
    static std::mutex rng_mutex;
    std::uniform_int_distribution<int> pick{first, last};
    for (int attempt = 0; attempt < 200; ++attempt) {
      int port = 0;
      {
        std::lock_guard<std::mutex> lock{rng_mutex};
        port = pick(rng);
      }
      if (port_is_free(static_cast<std::uint16_t>(port)))
        return static_cast<std::uint16_t>(port);
    }
  }
  // Let the kernel choose.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), "bind to a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string test_log_dir() {
  std::string name = "no-test";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info())
    name = safe_name(std::string{info->test_suite_name()} + "." + info->name());
  std::string dir = std::string{TRAFFIC_TEST_LOG_ROOT} + "/" + name;
  make_dirs(dir);
  return dir;
}

server_process::server_process(std::string database_url, env_map overrides) : port_(free_port()) {
  for (const char* name : passed_through)
    if (const char* value = std::getenv(name))
      env_[name] = value;
  env_["DATABASE_URL"] = std::move(database_url);
  env_["HTTP_HOST"] = "127.0.0.1";
  env_["HTTP_PORT"] = std::to_string(port_);
  env_["LOG_LEVEL"] = "warn";
  for (auto& [name, value] : overrides) {
    if (value.empty())
      env_.erase(name);
    else
      env_[name] = value;
  }
  // Several servers in one test each get their own folder (their working directory too, so
  // no .env file of the developer's is read).
  static std::atomic<int> counter{0};
  log_dir_ = test_log_dir() + "/server-" + std::to_string(++counter);
  make_dirs(log_dir_);
  std::remove(stacks_path().c_str()); // left by an earlier run of the same test
  stdout_path_ = log_dir_ + "/stdout.log";
  stderr_path_ = log_dir_ + "/stderr.log";
}

server_process::~server_process() {
  if (running())
    kill9();
  // A sanitizer build writes its report on stderr (the log itself goes to stdout): a report
  // fails the test even when it came after the test's own checks passed.
  auto err = stderr_text();
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer", "runtime error:"}) {
    if (err.find(marker) != std::string::npos) {
      ADD_FAILURE() << "the server's stderr holds a sanitizer report (" << marker << ")";
      break;
    }
  }
  if (::testing::Test::HasFailure())
    std::cerr << "---- traffic-server on port " << port_ << " (" << log_dir_ << ") ----\n"
              << logs() << "---- end of server log ----\n";
}

void server_process::spawn() {
  if (pid_ > 0)
    throw std::logic_error("server_process::spawn: already started");
  // Everything the child needs is built before fork: after it only async-signal-safe calls.
  std::string binary = server_binary();
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env_)
    env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> argv{binary.data(), nullptr};
  int out = ::open(stdout_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0)
    throw std::system_error(errno, std::generic_category(), "open server log in " + log_dir_);
  exit_code_.reset();
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      ::dup2(devnull, STDIN_FILENO);
    // Client sockets and database connections of the test must not live on in the server.
    ::close_range(3, ~0U, 0);
    if (::chdir(log_dir_.c_str()) != 0)
      ::_exit(126);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    const char msg[] = "server_process: execve failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(out);
  ::close(err);
  pid_ = pid;
}

bool server_process::start(std::string* error, std::chrono::milliseconds ready_within) {
  auto fail = [&](const std::string& why) {
    if (error)
      *error = why + "\n" + logs();
    return false;
  };
  const bool own_port = env_["HTTP_PORT"] == std::to_string(port_);
  int port_retries = 3;
  try {
    spawn();
  } catch (const std::exception& e) {
    return fail(std::string{"cannot start "} + server_binary() + ": " + e.what());
  }
  auto deadline = std::chrono::steady_clock::now() + ready_within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) {
      // Someone took the port between free_port() and the server's bind: try another one.
      if (own_port && port_retries-- > 0 && !port_is_free(port_)) {
        port_ = free_port();
        env_["HTTP_PORT"] = std::to_string(port_);
        spawn();
        continue;
      }
      return fail(server_binary() + " exited with code " + std::to_string(exit_code_.value_or(-1)) +
                  " before answering GET /health");
    }
    try {
      http_once(port_, "GET", "/health", {}, {}, {}, 1s);
      return true;
    } catch (const transport_error&) {
      std::this_thread::sleep_for(50ms);
    }
  }
  kill9();
  return fail(server_binary() + " did not answer GET /health on port " + std::to_string(port_) +
              " within " + std::to_string(ready_within.count()) + " ms");
}

bool server_process::reap(bool block) {
  if (pid_ <= 0)
    return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0)
    return false;
  exit_code_ = r == pid_ ? decode_status(status) : -1;
  pid_ = -1;
  return true;
}

bool server_process::running() {
  return pid_ > 0 && !reap(false);
}

void server_process::terminate() {
  if (pid_ > 0)
    ::kill(pid_, SIGTERM);
}

std::optional<int> server_process::wait_exit(std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
  return exit_code_;
}

std::optional<int> server_process::stop(std::chrono::milliseconds within) {
  if (pid_ <= 0)
    return exit_code_;
  terminate();
  if (auto code = wait_exit(within))
    return code;
  dump_stacks();
  kill9();
  return std::nullopt;
}

void server_process::dump_stacks() {
  if (pid_ <= 0 || std::system("command -v gdb > /dev/null 2>&1") != 0)
    return;
  // A hung shutdown is hard to debug after the fact: keep every thread's stack with the logs.
  std::string cmd = "gdb -p " + std::to_string(pid_) + " -batch -ex 'thread apply all bt' > '" +
                    stacks_path() + "' 2>&1";
  [[maybe_unused]] int ignored = std::system(cmd.c_str());
}

std::string server_process::stacks_path() const {
  return log_dir_ + "/stacks.txt";
}

void server_process::kill9() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

std::string server_process::stdout_text() const {
  return read_file(stdout_path_);
}

std::string server_process::stderr_text() const {
  return read_file(stderr_path_);
}

std::string server_process::logs() const {
  std::string out = "== stdout (" + stdout_path_ + ") ==\n" + tail(stdout_text()) +
                    "\n== stderr (" + stderr_path_ + ") ==\n" + tail(stderr_text()) + "\n";
  auto stacks = read_file(stacks_path());
  if (!stacks.empty())
    out +=
        "== thread stacks when it did not stop (" + stacks_path() + ") ==\n" + tail(stacks) + "\n";
  return out;
}

} // namespace traffic::tests
