// End-to-end tests of the server's life cycle: bad settings, migrations, SIGTERM, log format.
#include <chrono>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::tests::env_map;
using traffic::tests::http_client;
using traffic::tests::json;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_snapshots;
using traffic::tests::summary_path;
using traffic::tests::test_database;

struct bad_setting {
  std::string name;
  std::string value;
};

std::ostream& operator<<(std::ostream& os, const bad_setting& s) {
  return os << s.name << "=" << s.value;
}

class BadSetting : public testing::TestWithParam<bad_setting> {
 protected:
  test_database db_;
};

TEST_P(BadSetting, ExitsWithCodeTwoNamingTheVariable) {
  const auto& setting = GetParam();
  server_process server{db_.url(), {{setting.name, setting.value}}};
  server.spawn();
  auto code = server.wait_exit(10s);
  ASSERT_TRUE(code.has_value()) << "server still runs with " << setting << "\n" << server.logs();
  EXPECT_EQ(*code, 2) << server.logs();
  EXPECT_NE(server.stderr_text().find(setting.name), std::string::npos)
      << "stderr does not name " << setting.name << ":\n"
      << server.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(ServerStartup, BadSetting,
                         testing::Values(bad_setting{"HTTP_PORT", "abc"},
                                         bad_setting{"HTTP_PORT", "70000"},
                                         bad_setting{"LOG_FORMAT", "xml"},
                                         bad_setting{"WRITER_POOL_SIZE", "0"},
                                         bad_setting{"BODY_LIMIT_BYTES", "12kb"}));

class ServerStartup : public testing::Test {
 protected:
  std::unique_ptr<server_process> start(env_map overrides = {}) {
    auto server = std::make_unique<server_process>(db_.url(), std::move(overrides));
    std::string error;
    EXPECT_TRUE(server->start(&error)) << error;
    return server;
  }

  test_database db_;
};

TEST_F(ServerStartup, ExitsZeroOnSigtermWithAcknowledgedSnapshotsStored) {
  auto server = start();
  ASSERT_TRUE(server->running());
  {
    http_client client{server->port()};
    for (int k = 0; k < 3; ++k) {
      auto r = client.post(single_path, simple_snapshot("SIM_STOP", "INT_001", k).dump(),
                           "application/json");
      EXPECT_EQ(r.status, 201u) << r.body;
    }
  }
  auto code = server->stop();
  ASSERT_TRUE(code.has_value()) << "no exit within 20 s of SIGTERM";
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(stored_snapshots(db_.url()), 3);
}

TEST_F(ServerStartup, RestartsOnMigratedDatabaseKeepingData) {
  auto first = start();
  ASSERT_TRUE(first->running());
  auto snapshot = simple_snapshot("SIM_RESTART", "INT_001", 0).dump();
  {
    http_client client{first->port()};
    EXPECT_EQ(client.post(single_path, snapshot, "application/json").status, 201u);
  }
  ASSERT_EQ(first->stop(), std::optional<int>{0});

  // The second start finds every migration applied and must neither fail nor lose data.
  auto second = start();
  ASSERT_TRUE(second->running());
  http_client client{second->port()};
  auto health = client.get("/health");
  EXPECT_EQ(health.status, 200u) << health.body;
  auto again = client.post(single_path, snapshot, "application/json");
  EXPECT_EQ(again.status, 200u) << again.body;
  auto summary = client.get(summary_path("SIM_RESTART"));
  ASSERT_EQ(summary.status, 200u) << summary.body;
  EXPECT_EQ(summary.json().value("snapshots", -1), 1) << summary.body;
  EXPECT_EQ(second->stop(), std::optional<int>{0});
}

TEST_F(ServerStartup, WritesJsonLogLinesWhenAsked) {
  auto server = start({{"LOG_FORMAT", "json"}, {"LOG_LEVEL", "debug"}});
  ASSERT_TRUE(server->running());
  {
    // Requests that make the server log: a store, a rejected body, an unknown route, and
    // client-chosen text (a request id with quotes) that must not break the JSON.
    http_client client{server->port()};
    client.post(single_path, simple_snapshot("SIM_LOG", "INT_001", 0).dump(), "application/json");
    client.post(single_path, "{\"broken\": ", "application/json", {{"X-Request-ID", "a\"b"}});
    client.get("/no/such/route?q=%22quoted%22");
  }
  ASSERT_EQ(server->stop(), std::optional<int>{0});
  int lines = 0;
  for (const auto& text : {server->stdout_text(), server->stderr_text()}) {
    std::istringstream in{text};
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty())
        continue;
      ++lines;
      json parsed;
      EXPECT_NO_THROW(parsed = json::parse(line)) << "not JSON: " << line;
      EXPECT_TRUE(parsed.is_object()) << line;
    }
  }
  EXPECT_GT(lines, 0) << "no log line at LOG_LEVEL=debug";
}

} // namespace
