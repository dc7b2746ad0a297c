// storage's private connection: exception classification and session set-up on (re)connect.
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "storage/connection.hpp"
#include "storage/migrator.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::storage::classify_current_exception;
using traffic::storage::failure;
using traffic::storage::storage_status;

/// Returns what classify_current_exception() says about the exception `thrower` throws.
failure classify(const std::function<void()>& thrower) {
  try {
    thrower();
  } catch (...) {
    return classify_current_exception();
  }
  ADD_FAILURE() << "nothing thrown";
  return {};
}

struct classification_case {
  const char* what;
  std::function<void()> thrower;
  storage_status status;
  bool retry;
  bool lost;
};

TEST(StorageConnection, ClassifiesExceptions) {
  const std::vector<classification_case> cases{
      {"broken connection", [] { throw pqxx::broken_connection{"gone"}; },
       storage_status::unavailable, false, true},
      {"in doubt", [] { throw pqxx::in_doubt_error{"?"}; }, storage_status::unavailable, false,
       true},
      {"deadlock", [] { throw pqxx::deadlock_detected{"d"}; }, storage_status::unavailable, true,
       false},
      {"serialization", [] { throw pqxx::serialization_failure{"s"}; }, storage_status::unavailable,
       true, false},
      {"statement timeout",
       [] {
         throw pqxx::sql_error{"t", "q", "57014"};
       },
       storage_status::unavailable, false, false},
      {"admin shutdown",
       [] {
         throw pqxx::sql_error{"a", "q", "57P01"};
       },
       storage_status::unavailable, false, true},
      {"read-only standby",
       [] {
         throw pqxx::sql_error{"r", "q", "25006"};
       },
       storage_status::unavailable, false, true},
      {"disk full",
       [] {
         throw pqxx::disk_full{"f", "q", "53100"};
       },
       storage_status::unavailable, false, false},
      {"unique violation",
       [] {
         throw pqxx::unique_violation{"u", "q", "23505"};
       },
       storage_status::failed, false, false},
      {"bad text",
       [] {
         throw pqxx::data_exception{"x", "q", "22P02"};
       },
       storage_status::failed, false, false},
      {"deferred constraint at commit",
       [] {
         throw pqxx::sql_error{"c", "q", "40002"};
       },
       storage_status::failed, false, false},
      {"std exception", [] { throw std::runtime_error{"boom"}; }, storage_status::failed, false,
       false},
      {"not an exception", [] { throw 42; }, storage_status::failed, false, false},
  };
  for (const auto& c : cases) {
    auto f = classify(c.thrower);
    EXPECT_EQ(f.status, c.status) << c.what;
    EXPECT_EQ(f.retry, c.retry) << c.what;
    EXPECT_EQ(f.connection_lost, c.lost) << c.what;
    EXPECT_FALSE(f.message.empty()) << c.what;
  }
}

TEST(StorageConnection, SetsUpEachNewSession) {
  traffic::tests::test_database db;
  traffic::storage::connection conn{db.url(), 1500ms, {"ping"}};
  EXPECT_FALSE(conn.connected());
  for (int session = 0; session < 2; ++session) {
    pqxx::work tx{conn.get()};
    EXPECT_EQ(tx.exec1("SHOW statement_timeout")[0].as<std::string>(), "1500ms");
    EXPECT_EQ(tx.exec_prepared1("ping")[0].as<int>(), 1);
    tx.commit();
    EXPECT_TRUE(conn.connected());
    conn.reset(); // the second round runs on a new session
  }
}

TEST(StorageConnection, DropsTheConnectionOnlyWhenLost) {
  traffic::tests::test_database db;
  traffic::storage::connection conn{db.url(), 0ms, {}};
  try {
    pqxx::work tx{conn.get()};
    tx.exec("SELECT 1/0");
  } catch (...) {
    auto f = conn.on_exception();
    EXPECT_EQ(f.status, storage_status::failed);
  }
  EXPECT_TRUE(conn.connected()); // a refused statement keeps the session

  traffic::storage::connection nowhere{traffic::tests::test_database::unreachable_url(), 0ms, {}};
  try {
    nowhere.get();
  } catch (...) {
    auto f = nowhere.on_exception();
    EXPECT_EQ(f.status, storage_status::unavailable);
  }
  EXPECT_FALSE(nowhere.connected());
}

} // namespace
