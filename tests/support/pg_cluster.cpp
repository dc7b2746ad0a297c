// A private, throwaway PostgreSQL cluster that a fault test may stop and start at will.
#include "tests/support/pg_cluster.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <pwd.h>
#include <unistd.h>

#include "tests/support/server_process.hpp"

namespace traffic::tests {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string{value} : fallback;
}

std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

/// A port from TRAFFIC_TEST_PG_PORTS ("56201-56299") that nothing listens on, else one the
/// kernel says is free.
std::uint16_t choose_port() {
  auto range = env_or("TRAFFIC_TEST_PG_PORTS", "");
  auto dash = range.find('-');
  if (dash == std::string::npos)
    return free_port();
  int first = std::atoi(range.substr(0, dash).c_str());
  int last = std::atoi(range.substr(dash + 1).c_str());
  int span = last - first + 1;
  if (first <= 0 || span <= 0)
    throw std::runtime_error("TRAFFIC_TEST_PG_PORTS must look like 56201-56299");
  // Start at a pid-dependent offset so parallel test processes rarely try the same port.
  int offset = static_cast<int>(::getpid()) % span;
  for (int i = 0; i < span; ++i) {
    auto port = static_cast<std::uint16_t>(first + (offset + i) % span);
    if (port_is_free(port))
      return port;
  }
  throw std::runtime_error("no free port in TRAFFIC_TEST_PG_PORTS=" + range);
}

} // namespace

pg_cluster::pg_cluster() : bin_dir_(env_or("TRAFFIC_TEST_PG_BIN", "/usr/lib/postgresql/15/bin")) {
  char templ[] = "/tmp/traffic-pg-XXXXXX";
  if (!::mkdtemp(templ))
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  dir_ = templ;
  if (::geteuid() == 0) {
    // initdb and postgres refuse to run as root: the folder belongs to postgres.
    const passwd* pw = ::getpwnam("postgres");
    if (!pw)
      throw std::runtime_error("running as root but there is no postgres user");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::system_error(errno, std::generic_category(), "chown " + dir_);
  }
  run(as_postgres(quote(bin_dir_ + "/initdb") + " -D " + quote(dir_ + "/data") +
                  " -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 > " +
                  quote(dir_ + "/initdb.log") + " 2>&1"),
      "initdb");
  port_ = choose_port();
  start();
}

pg_cluster::~pg_cluster() {
  if (running_) {
    std::string cmd = as_postgres(quote(bin_dir_ + "/pg_ctl") + " -D " + quote(dir_ + "/data") +
                                  " -m immediate -w stop > /dev/null 2>&1");
    [[maybe_unused]] int ignored = std::system(cmd.c_str());
  }
  std::string rm = "rm -rf " + quote(dir_);
  [[maybe_unused]] int ignored = std::system(rm.c_str());
}

std::string pg_cluster::as_postgres(const std::string& command) const {
  if (::geteuid() != 0)
    return command;
  return "runuser -u postgres -- sh -c " + quote(command);
}

void pg_cluster::run(const std::string& command, const std::string& what) const {
  int rc = std::system(command.c_str());
  if (rc != 0)
    throw std::runtime_error(what + " failed (" + std::to_string(rc) + "): " + command + "\n" +
                             log());
}

void pg_cluster::start() {
  std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                        " -c listen_addresses=127.0.0.1 -c fsync=off"
                        " -c synchronous_commit=off -c full_page_writes=off"
                        " -c max_connections=200";
  run(as_postgres(quote(bin_dir_ + "/pg_ctl") + " -D " + quote(dir_ + "/data") + " -l " +
                  quote(dir_ + "/postgres.log") + " -w -t 30 -o " + quote(options) +
                  " start > /dev/null"),
      "pg_ctl start on port " + std::to_string(port_));
  running_ = true;
}

void pg_cluster::stop() {
  run(as_postgres(quote(bin_dir_ + "/pg_ctl") + " -D " + quote(dir_ + "/data") +
                  " -m fast -w -t 30 stop > /dev/null"),
      "pg_ctl stop");
  running_ = false;
}

std::string pg_cluster::url() const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

std::string pg_cluster::log() const {
  std::ostringstream out;
  for (const char* name : {"/initdb.log", "/postgres.log"}) {
    std::ifstream in{dir_ + name};
    if (in)
      out << "== " << dir_ << name << " ==\n" << in.rdbuf() << "\n";
  }
  return out.str();
}

} // namespace traffic::tests
