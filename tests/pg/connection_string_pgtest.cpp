// connection_string(): our timeouts added to URIs and keyword strings, and libpq accepts them.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "storage/connection_string.hpp"
#include "storage/snapshot_writer.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::storage::connection_string;

constexpr const char* keepalives =
    "keepalives=1&keepalives_idle=5&keepalives_interval=2&keepalives_count=2&"
    "tcp_user_timeout=9000";

TEST(ConnectionString, AppendsQueryToUriWithoutOne) {
  EXPECT_EQ(connection_string("postgresql://u@h:5432/db", 3s),
            std::string{"postgresql://u@h:5432/db?connect_timeout=3&"} + keepalives);
}

TEST(ConnectionString, ExtendsExistingUriQuery) {
  EXPECT_EQ(connection_string("postgres://h/db?sslmode=disable", 3s),
            std::string{"postgres://h/db?sslmode=disable&connect_timeout=3&"} + keepalives);
}

TEST(ConnectionString, KeepsSettingsTheUriAlreadyHas) {
  EXPECT_EQ(connection_string("postgresql://h/db?connect_timeout=10&keepalives_idle=30", 3s),
            "postgresql://h/db?connect_timeout=10&keepalives_idle=30&keepalives=1&"
            "keepalives_interval=2&keepalives_count=2&tcp_user_timeout=9000");
}

TEST(ConnectionString, AppendsToKeywordString) {
  EXPECT_EQ(connection_string("host=/tmp port=5432 dbname=x", 4s),
            "host=/tmp port=5432 dbname=x connect_timeout=4 keepalives=1 keepalives_idle=5 "
            "keepalives_interval=2 keepalives_count=2 tcp_user_timeout=9000");
}

TEST(ConnectionString, KeepsSettingsTheKeywordStringAlreadyHas) {
  // keepalives_count inside the quoted password is not a setting: it is still added.
  EXPECT_EQ(connection_string("host=h password='a keepalives_count=7 \\' x' connect_timeout = 9 "
                              "keepalives=0",
                              4s),
            "host=h password='a keepalives_count=7 \\' x' connect_timeout = 9 keepalives=0 "
            "keepalives_idle=5 keepalives_interval=2 keepalives_count=2 tcp_user_timeout=9000");
}

TEST(ConnectionString, OmitsConnectTimeoutWhenNotPositive) {
  EXPECT_EQ(connection_string("", 0s),
            "keepalives=1 keepalives_idle=5 keepalives_interval=2 keepalives_count=2 "
            "tcp_user_timeout=9000");
}

TEST(ConnectionString, IsAcceptedByLibpq) {
  traffic::tests::test_database db;
  traffic::storage::snapshot_writer writer{connection_string(db.url(), 2s), 1000ms};
  std::string error;
  EXPECT_EQ(writer.ping(&error), traffic::storage::storage_status::ok) << error;
}

} // namespace
