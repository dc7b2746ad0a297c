// Creates and drops the per-test databases of the PostgreSQL integration tests.
#include "tests/support/test_database.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pqxx/pqxx>
#include <sys/socket.h>
#include <unistd.h>

namespace traffic::tests {

namespace {

constexpr const char* url_variable = "TRAFFIC_TEST_DATABASE_URL";

/// Returns a name no other test (in this or a parallel test process) uses.
std::string unique_name() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::uniform_int_distribution<unsigned> dist(0, 0xffffff);
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%06x", dist(rd));
  return "traffic_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         suffix;
}

bool is_uri(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

} // namespace

std::string test_database::server_url() {
  const char* value = std::getenv(url_variable);
  if (value == nullptr || *value == '\0')
    throw std::runtime_error(std::string{url_variable} +
                             " is not set: the PostgreSQL tests need a server. Run them with "
                             "scripts/test, which starts a throwaway PostgreSQL and sets it "
                             "(e.g. postgresql://postgres@127.0.0.1:PORT/postgres).");
  return value;
}

std::string test_database::unreachable_url() {
  // Let the kernel pick a free port, then close the socket without listening: until someone
  // else binds it, a connect to it is refused.
  int port = 1;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      port = ntohs(addr.sin_port);
    ::close(fd);
  }
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
}

std::string test_database::with_database(const std::string& url, const std::string& dbname) {
  if (!is_uri(url))
    return url + " dbname=" + dbname; // a later keyword overrides an earlier one
  // postgresql://[userinfo@]host[:port][/dbname][?params]
  const auto authority = url.find("://") + 3;
  const auto path = url.find_first_of("/?", authority);
  if (path == std::string::npos)
    return url + "/" + dbname;
  const auto query = url.find('?', path);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, path) + "/" + dbname + rest;
}

test_database::test_database() : server_url_(server_url()), name_(unique_name()) {
  pqxx::connection admin{server_url_};
  pqxx::nontransaction tx{admin};
  // CREATE DATABASE can't take a parameter; the name is ours and quoted anyway.
  tx.exec("CREATE DATABASE " + tx.quote_name(name_));
  url_ = with_database(server_url_, name_);
}

test_database::~test_database() {
  try {
    pqxx::connection admin{server_url_};
    pqxx::nontransaction tx{admin};
    // FORCE ends sessions a test left open (PostgreSQL 13+).
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database is harmless: the test server is thrown away after the run.
  }
}

} // namespace traffic::tests

// LeakSanitizer (the sanitizer build) reads this hook at start-up. libpqxx 6.4 leaks one
// PGresult when a statement meets a session the server has ended: the result is made before
// libpqxx asks the dead connection for its encoding, which throws. The outage tests provoke
// exactly that, so leaks whose stack passes through libpqxx are not ours to report.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpqxx\n";
}
