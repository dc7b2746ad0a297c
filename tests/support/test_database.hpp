// A throwaway PostgreSQL database per test, on the server that scripts/test starts.
#pragma once

#include <string>

namespace traffic::tests {

/// Creates a fresh, uniquely named database on the server named by the environment variable
/// TRAFFIC_TEST_DATABASE_URL (a server-level URL such as
/// postgresql://postgres@127.0.0.1:PORT/postgres) and drops it again on destruction.
class test_database {
 public:
  /// Throws std::runtime_error, which GoogleTest reports as a failure of the test, when the
  /// variable is unset or the database can't be created.
  test_database();
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  /// Returns a connection URL (or keyword string) for the new database.
  const std::string& url() const { return url_; }

  /// Returns the new database's name.
  const std::string& name() const { return name_; }

  /// Returns TRAFFIC_TEST_DATABASE_URL, or throws std::runtime_error when it is unset.
  static std::string server_url();

  /// Returns a URL on the loopback whose port nobody listens on (a connect is refused at once).
  static std::string unreachable_url();

  /// Returns `url` (a URI or keyword string) with its database replaced by `dbname`.
  static std::string with_database(const std::string& url, const std::string& dbname);

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

} // namespace traffic::tests
