// A private, throwaway PostgreSQL cluster that a fault test may stop and start at will.
#pragma once

#include <cstdint>
#include <string>

namespace traffic::tests {

/// initdb in a fresh temporary folder, then a postgres listening on 127.0.0.1 at a free port
/// (and on a unix socket in that folder). Binaries come from TRAFFIC_TEST_PG_BIN or
/// /usr/lib/postgresql/15/bin; as root they run as the postgres user. The environment variable
/// TRAFFIC_TEST_PG_PORTS="first-last" restricts the ports tried. Throws std::runtime_error
/// (with the server log) when initdb or a start fails.
class pg_cluster {
 public:
  /// Creates and starts the cluster.
  pg_cluster();
  /// Stops the cluster at once and removes its folder.
  ~pg_cluster();
  pg_cluster(const pg_cluster&) = delete;
  pg_cluster& operator=(const pg_cluster&) = delete;

  /// Starts postgres on the same port as before; waits until it accepts connections.
  void start();

  /// Stops postgres ("fast" mode: sessions are disconnected) and waits until it is down.
  void stop();

  /// Returns true between start() and stop().
  bool running() const { return running_; }

  std::uint16_t port() const { return port_; }

  /// Returns "postgresql://postgres@127.0.0.1:PORT/postgres".
  std::string url() const;

  /// Returns the contents of the server log, for failure messages.
  std::string log() const;

 private:
  void run(const std::string& command, const std::string& what) const;
  std::string as_postgres(const std::string& command) const;

  std::string bin_dir_;
  std::string dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

} // namespace traffic::tests
