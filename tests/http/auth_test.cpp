// End-to-end tests of API keys (401, 403, scopes, AUTH_REQUIRED defaults) and CORS on a real
// server.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using traffic::tests::body_of;
using traffic::tests::env_map;
using traffic::tests::expect_ack;
using traffic::tests::expect_error;
using traffic::tests::header_map;
using traffic::tests::http_client;
using traffic::tests::http_response;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_snapshots;
using traffic::tests::test_database;

const std::string ingest_key = "ingest-key-0123456789abcdef";
const std::string read_key = "read-key-0123456789abcdef";
const std::string admin_key = "admin-key-0123456789abcdef";
const std::string all_keys = "simulator:ingest:" + ingest_key + ",dashboard:read:" + read_key +
                             ",ops:admin+read:" + admin_key;
const std::string runs_path = "/api/v1/simulations";
const std::string clear_path = "/api/v1/admin/clear-cache";

header_map bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

class AuthApi : public testing::Test {
 protected:
  virtual env_map server_env() const {
    return {{"API_KEYS", all_keys}, {"AUTH_REQUIRED", "true"}, {"LOG_LEVEL", "debug"}};
  }

  void SetUp() override {
    server_ = std::make_unique<server_process>(db_.url(), server_env());
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  http_response ingest(const header_map& headers, int second = 0) {
    return client_->post(single_path, simple_snapshot("SIM_AUTH", "INT_1", second).dump(),
                         "application/json", headers);
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

TEST_F(AuthApi, RefusesARequestWithoutAKeyWith401AndStoresNothing) {
  auto r = ingest({});
  expect_error(r, 401, "unauthorized");
  EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"traffic-server\"");
  expect_error(client_->get(runs_path), 401, "unauthorized");
  expect_error(client_->get("/system/info"), 401, "unauthorized");
  EXPECT_EQ(stored_snapshots(db_.url()), 0);
}

TEST_F(AuthApi, RefusesAnUnknownKeyWith401InvalidToken) {
  for (const auto& token : {ingest_key + "x", ingest_key.substr(1), std::string{"nope"}}) {
    auto r = ingest(bearer(token));
    expect_error(r, 401, "unauthorized");
    EXPECT_EQ(r.header("WWW-Authenticate"),
              "Bearer realm=\"traffic-server\", error=\"invalid_token\"");
  }
  expect_error(ingest({{"Authorization", "Basic " + ingest_key}}), 401, "unauthorized");
  EXPECT_EQ(stored_snapshots(db_.url()), 0);
}

TEST_F(AuthApi, RefusesAKeyWithoutTheScopeWith403) {
  auto r = ingest(bearer(read_key));
  expect_error(r, 403, "forbidden");
  EXPECT_EQ(r.header("WWW-Authenticate"),
            "Bearer realm=\"traffic-server\", error=\"insufficient_scope\", scope=\"ingest\"");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("dashboard"), std::string::npos);
  expect_error(client_->get(runs_path, bearer(ingest_key)), 403, "forbidden");
  EXPECT_EQ(stored_snapshots(db_.url()), 0);
}

TEST_F(AuthApi, GrantsEachScopeItsRoutes) {
  expect_ack(ingest(bearer(ingest_key)), 201, 1, 0);
  EXPECT_EQ(stored_snapshots(db_.url()), 1);
  auto runs = client_->get(runs_path, bearer(read_key));
  ASSERT_EQ(runs.status, 200u) << runs.body;
  EXPECT_EQ(body_of(runs)["simulations"].size(), 1u);
  auto update = client_->request("PUT", runs_path + "/SIM_AUTH", R"({"mode":"ai"})",
                                 "application/json", bearer(ingest_key));
  EXPECT_EQ(update.status, 200u) << update.body;
  EXPECT_EQ(client_->get("/system/info", bearer(read_key)).status, 200u);
}

TEST_F(AuthApi, AdminRoutesNeedTheAdminScope) {
  expect_ack(ingest(bearer(ingest_key)), 201, 1, 0);
  expect_error(client_->post(clear_path, "", "", bearer(read_key)), 403, "forbidden");
  expect_error(client_->request("DELETE", runs_path + "/SIM_AUTH", "", "", bearer(ingest_key)), 403,
               "forbidden");
  expect_error(client_->post(clear_path, "", ""), 401, "unauthorized");
  EXPECT_EQ(stored_snapshots(db_.url()), 1);
  EXPECT_EQ(client_->post(clear_path, "", "", bearer(admin_key)).status, 200u);
  auto deleted = client_->request("DELETE", runs_path + "/SIM_AUTH", "", "", bearer(admin_key));
  EXPECT_EQ(deleted.status, 200u) << deleted.body;
  EXPECT_EQ(stored_snapshots(db_.url()), 0);
}

TEST_F(AuthApi, LeavesHealthMetricsAndDocsOpen) {
  EXPECT_EQ(client_->get("/health").status, 200u);
  EXPECT_EQ(client_->get("/metrics").status, 200u);
  EXPECT_NE(client_->get("/openapi.json").status, 401u);
}

TEST_F(AuthApi, NeverLogsAToken) {
  expect_ack(ingest(bearer(ingest_key)), 201, 1, 0);
  ingest(bearer(read_key));
  ingest(bearer(admin_key + "-wrong"));
  client_->get(runs_path, bearer(read_key));
  server_->stop();
  auto logs = server_->logs();
  ASSERT_NE(logs.find("/api/v1/ingest/simulation"), std::string::npos) << "no access log";
  for (const auto& secret : {ingest_key, read_key, admin_key})
    EXPECT_EQ(logs.find(secret), std::string::npos) << secret;
}

class AuthOffApi : public AuthApi {
 protected:
  env_map server_env() const override {
    return {{"API_KEYS", all_keys}, {"ENVIRONMENT", "development"}};
  }
};

TEST_F(AuthOffApi, LetsAnyoneIngestAndReadButKeepsAdminRoutesClosed) {
  expect_ack(ingest({}), 201, 1, 0);
  EXPECT_EQ(client_->get(runs_path).status, 200u);
  // A wrong key is not looked at while auth is off, except on admin routes.
  EXPECT_EQ(client_->get(runs_path, bearer("wrong-key-0123456789")).status, 200u);
  expect_error(client_->post(clear_path, "", ""), 401, "unauthorized");
  expect_error(client_->post(clear_path, "", "", bearer(ingest_key)), 403, "forbidden");
  EXPECT_EQ(client_->post(clear_path, "", "", bearer(admin_key)).status, 200u);
}

class ProductionApi : public AuthApi {
 protected:
  env_map server_env() const override {
    return {{"API_KEYS", all_keys}, {"ENVIRONMENT", "production"}, {"AUTH_REQUIRED", ""}};
  }
};

TEST_F(ProductionApi, RequiresKeysByDefault) {
  expect_error(ingest({}), 401, "unauthorized");
  expect_ack(ingest(bearer(ingest_key)), 201, 1, 0);
}

TEST_F(ProductionApi, AllowsNoCrossOriginCallsByDefault) {
  auto preflight = client_->request(
      "OPTIONS", runs_path, "", "",
      {{"Origin", "https://dash.example.org"}, {"Access-Control-Request-Method", "GET"}});
  expect_error(preflight, 403, "forbidden");
  auto r = client_->get(
      runs_path, {{"Origin", "https://dash.example.org"}, {"Authorization", "Bearer " + read_key}});
  EXPECT_EQ(r.status, 200u);
  EXPECT_FALSE(r.has_header("Access-Control-Allow-Origin"));
}

TEST(AuthConfig, ProductionWithoutKeysRefusesToStart) {
  test_database db;
  server_process server{db.url(), {{"ENVIRONMENT", "production"}, {"AUTH_REQUIRED", ""}}};
  server.spawn();
  auto code = server.wait_exit(std::chrono::seconds{10});
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
  EXPECT_NE(server.stderr_text().find("AUTH_REQUIRED is on"), std::string::npos) << server.logs();
}

TEST(AuthConfig, ABadKeyEntryRefusesToStartWithoutPrintingTheToken) {
  test_database db;
  server_process server{db.url(), {{"API_KEYS", "sim:ingest+write:secret-token-0123456789"}}};
  server.spawn();
  auto code = server.wait_exit(std::chrono::seconds{10});
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
  EXPECT_NE(server.stderr_text().find("scopes are ingest, read and admin"), std::string::npos)
      << server.logs();
  EXPECT_EQ(server.logs().find("secret-token-0123456789"), std::string::npos);
}

class CorsApi : public AuthApi {
 protected:
  env_map server_env() const override {
    return {{"CORS_ALLOWED_ORIGINS", "https://dash.example.org, http://localhost:3000"}};
  }
};

TEST_F(CorsApi, AnswersAPreflightFromAnAllowedOrigin) {
  auto r = client_->request("OPTIONS", runs_path + "/SIM_1", "", "",
                            {{"Origin", "https://dash.example.org"},
                             {"Access-Control-Request-Method", "PUT"},
                             {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://dash.example.org");
  EXPECT_EQ(r.header("Access-Control-Allow-Methods"), "PUT, DELETE, OPTIONS");
  EXPECT_EQ(r.header("Access-Control-Allow-Headers"), "Authorization, Content-Type, X-Request-ID");
  EXPECT_EQ(r.header("Vary"), "Origin");
}

TEST_F(CorsApi, RefusesAPreflightFromAnotherOrigin) {
  auto r = client_->request(
      "OPTIONS", runs_path, "", "",
      {{"Origin", "https://evil.example.com"}, {"Access-Control-Request-Method", "GET"}});
  expect_error(r, 403, "forbidden");
  EXPECT_FALSE(r.has_header("Access-Control-Allow-Origin"));
}

TEST_F(CorsApi, MarksAnswersToAllowedOriginsOnly) {
  auto allowed = client_->get(runs_path, {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(allowed.status, 200u);
  EXPECT_EQ(allowed.header("Access-Control-Allow-Origin"), "http://localhost:3000");
  EXPECT_NE(allowed.header("Access-Control-Expose-Headers").find("X-Request-ID"),
            std::string::npos);
  auto other = client_->get(runs_path, {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(other.status, 200u);
  EXPECT_FALSE(other.has_header("Access-Control-Allow-Origin"));
  auto plain = client_->get(runs_path);
  EXPECT_FALSE(plain.has_header("Access-Control-Allow-Origin"));
}

TEST_F(CorsApi, AllowsAnyOriginInDevelopmentByDefault) {
  server_process dev{db_.url(), {{"ENVIRONMENT", "development"}}};
  std::string error;
  ASSERT_TRUE(dev.start(&error)) << error;
  http_client client{dev.port()};
  auto r = client.get(runs_path, {{"Origin", "http://anything.test"}});
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
}

} // namespace
