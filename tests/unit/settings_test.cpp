// Unit tests of settings parsing: defaults, precedence of sources, and every kind of bad value.
#include "config/settings.hpp"

#include <gtest/gtest.h>

#include "config/dotenv.hpp"

using traffic::config::log_format;
using traffic::config::merge_sources;
using traffic::config::parse_dotenv;
using traffic::config::parse_settings;
using traffic::config::value_map;

namespace {

const value_map minimal{{"DATABASE_URL", "postgresql://u@h/db"}};

} // namespace

TEST(Settings, UsesDefaultsWhenOnlyTheDatabaseIsGiven) {
  auto result = parse_settings(minimal);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value.database_url, "postgresql://u@h/db");
  EXPECT_EQ(result.value.http_port, 8000);
  EXPECT_EQ(result.value.http_host, "0.0.0.0");
  EXPECT_EQ(result.value.log_style, log_format::text);
  EXPECT_EQ(result.value.writer_batch_rows, 2000);
  EXPECT_EQ(result.value.writer_batch_delay.count(), 2);
  EXPECT_EQ(result.value.body_limit_bytes, 8u << 20);
}

TEST(Settings, BoundsSlowClientsAndConnectionsByDefault) {
  auto result = parse_settings(minimal);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value.http_header_timeout.count(), 10000);
  EXPECT_EQ(result.value.http_body_timeout.count(), 30000);
  EXPECT_EQ(result.value.http_idle_timeout.count(), 30000);
  EXPECT_EQ(result.value.http_max_connections, 10000);
  EXPECT_EQ(result.value.db_probe_timeout.count(), 500);
  EXPECT_EQ(result.value.http_max_inflight_body_bytes, 64u << 20);
}

TEST(Settings, ParsesTheConnectionLimitsAndTimeouts) {
  auto values = minimal;
  values.insert({{"HTTP_HEADER_TIMEOUT_MS", "2500"},
                 {"HTTP_BODY_TIMEOUT_MS", "60000"},
                 {"HTTP_IDLE_TIMEOUT_MS", "100"},
                 {"HTTP_MAX_CONNECTIONS", "64"},
                 {"DB_PROBE_TIMEOUT_MS", "250"},
                 {"HTTP_MAX_INFLIGHT_BODY_BYTES", "1048576"}});
  auto result = parse_settings(values);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value.http_header_timeout.count(), 2500);
  EXPECT_EQ(result.value.http_body_timeout.count(), 60000);
  EXPECT_EQ(result.value.http_idle_timeout.count(), 100);
  EXPECT_EQ(result.value.http_max_connections, 64);
  EXPECT_EQ(result.value.db_probe_timeout.count(), 250);
  EXPECT_EQ(result.value.http_max_inflight_body_bytes, 1048576u);
}

TEST(Settings, TakesTheConnectionSettingsAsFlagsToo) {
  value_map merged;
  auto errors =
      merge_sources({}, {}, {"--http-max-connections=5", "--http-idle-timeout-ms=700"}, merged);
  ASSERT_TRUE(errors.empty());
  merged.insert(minimal.begin(), minimal.end());
  auto result = parse_settings(merged);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value.http_max_connections, 5);
  EXPECT_EQ(result.value.http_idle_timeout.count(), 700);
}

TEST(Settings, RequiresADatabaseUrl) {
  auto result = parse_settings({});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("DATABASE_URL"), std::string::npos);
}

TEST(Settings, ParsesEveryKnownKey) {
  auto values = minimal;
  values.insert({{"HTTP_PORT", "9001"},
                 {"LOG_FORMAT", "JSON"},
                 {"LOG_LEVEL", "warn"},
                 {"WRITER_POOL_SIZE", "3"},
                 {"WRITER_BATCH_DELAY_MS", "0"},
                 {"WRITER_QUEUE_ROWS", "500"},
                 {"DB_CONNECT_TIMEOUT_S", "7"},
                 {"SIMULATION_IDLE_SECONDS", "30"},
                 {"CACHE_TTL_SECONDS", "0"},
                 {"CACHE_MAX_BYTES", "1048576"},
                 {"ADMIN_TOKEN", "0123456789abcdef"}});
  auto result = parse_settings(values);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value.http_port, 9001);
  EXPECT_EQ(result.value.log_style, log_format::json);
  EXPECT_EQ(result.value.log_level, "warn");
  EXPECT_EQ(result.value.writer_pool_size, 3);
  EXPECT_EQ(result.value.writer_batch_delay.count(), 0);
  EXPECT_EQ(result.value.writer_queue_rows, 500);
  EXPECT_EQ(result.value.db_connect_timeout.count(), 7);
  EXPECT_EQ(result.value.simulation_idle.count(), 30);
  EXPECT_EQ(result.value.cache_ttl.count(), 0);
  EXPECT_EQ(result.value.cache_max_bytes, 1048576u);
  EXPECT_EQ(result.value.admin_token, "0123456789abcdef");
}

TEST(Settings, LeavesTheAdminRoutesOffByDefault) {
  auto result = parse_settings(minimal);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.value.admin_token.empty());
  EXPECT_EQ(result.value.cache_ttl.count(), 300);
  EXPECT_EQ(result.value.cache_max_bytes, 64u << 20);
}

TEST(Settings, NeverEchoesARejectedAdminToken) {
  auto values = minimal;
  values["ADMIN_TOKEN"] = "short-secret";
  auto result = parse_settings(values);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].find("short-secret"), std::string::npos) << result.errors[0];
  EXPECT_NE(result.errors[0].find("ADMIN_TOKEN"), std::string::npos);
}

class BadSetting : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(BadSetting, IsReportedByName) {
  auto values = minimal;
  values[GetParam().first] = GetParam().second;
  auto result = parse_settings(values);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].rfind(GetParam().first, 0), 0u) << result.errors[0];
}

INSTANTIATE_TEST_SUITE_P(
    Values, BadSetting,
    ::testing::Values(
        std::pair{"HTTP_PORT", "abc"}, std::pair{"HTTP_PORT", "0"}, std::pair{"HTTP_PORT", "65536"},
        std::pair{"HTTP_PORT", "80x"}, std::pair{"HTTP_THREADS", "-1"},
        std::pair{"LOG_FORMAT", "xml"}, std::pair{"LOG_LEVEL", "loud"},
        std::pair{"ENVIRONMENT", "moon"}, std::pair{"WRITER_BATCH_ROWS", "0"},
        std::pair{"BODY_LIMIT_BYTES", "12"}, std::pair{"DATABASE_URL", ""},
        std::pair{"CACHE_TTL_SECONDS", "-1"}, std::pair{"CACHE_MAX_BYTES", "lots"},
        std::pair{"ADMIN_TOKEN", "short"}, std::pair{"ADMIN_TOKEN", "has a space in the middle"},
        std::pair{"HTTP_HEADER_TIMEOUT_MS", "0"}, std::pair{"HTTP_HEADER_TIMEOUT_MS", "99"},
        std::pair{"HTTP_BODY_TIMEOUT_MS", "-5"}, std::pair{"HTTP_BODY_TIMEOUT_MS", "3600001"},
        std::pair{"HTTP_IDLE_TIMEOUT_MS", "30s"}, std::pair{"HTTP_MAX_CONNECTIONS", "0"},
        std::pair{"HTTP_MAX_CONNECTIONS", "1000001"}, std::pair{"HTTP_MAX_CONNECTIONS", "many"},
        std::pair{"DB_PROBE_TIMEOUT_MS", "49"}, std::pair{"DB_PROBE_TIMEOUT_MS", ""},
        std::pair{"HTTP_MAX_INFLIGHT_BODY_BYTES", "1023"},
        std::pair{"HTTP_MAX_INFLIGHT_BODY_BYTES", "1MB"}),
    [](const auto& info) {
      return std::string{info.param.first} + "_" + std::to_string(info.index);
    });

TEST(Settings, FlagsWinOverEnvironmentWhichWinsOverDotenv) {
  value_map merged;
  auto errors =
      merge_sources({{"HTTP_PORT", "1"}, {"LOG_LEVEL", "debug"}, {"HTTP_HOST", "a"}},
                    {{"HTTP_PORT", "2"}, {"LOG_LEVEL", "warn"}}, {"--http-port=3"}, merged);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(merged["HTTP_PORT"], "3");
  EXPECT_EQ(merged["LOG_LEVEL"], "warn");
  EXPECT_EQ(merged["HTTP_HOST"], "a");
}

TEST(Settings, RejectsUnknownAndMalformedFlags) {
  value_map merged;
  auto errors = merge_sources({}, {}, {"--colour=red", "--http-port", "http-port=1"}, merged);
  EXPECT_EQ(errors.size(), 3u);
}

TEST(Dotenv, ReadsPairsCommentsQuotesAndExport) {
  auto parsed = parse_dotenv("# comment\n\nA=1\nexport B = two words \nC=\"quoted # x\"\nD='s'\n");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.values.at("A"), "1");
  EXPECT_EQ(parsed.values.at("B"), "two words");
  EXPECT_EQ(parsed.values.at("C"), "quoted # x");
  EXPECT_EQ(parsed.values.at("D"), "s");
}

TEST(Dotenv, ReportsLinesWithoutAKey) {
  auto parsed = parse_dotenv("A=1\nnot a pair\n=3\n");
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_EQ(parsed.errors[0], "line 2: expected KEY=VALUE");
  EXPECT_EQ(parsed.errors[1], "line 3: expected KEY=VALUE");
}

TEST(Settings, RequiresAuthAndAllowsNoOriginInProductionOnly) {
  auto dev = parse_settings(minimal);
  ASSERT_TRUE(dev.ok());
  EXPECT_FALSE(dev.value.auth_required);
  EXPECT_EQ(dev.value.cors_allowed_origins, std::vector<std::string>{"*"});
  auto values = minimal;
  values["ENVIRONMENT"] = "production";
  auto production = parse_settings(values);
  ASSERT_TRUE(production.ok());
  EXPECT_TRUE(production.value.auth_required);
  EXPECT_TRUE(production.value.cors_allowed_origins.empty());
  EXPECT_EQ(traffic::config::check_access(production.value).size(), 1u);
  values["AUTH_REQUIRED"] = "off";
  values["CORS_ALLOWED_ORIGINS"] = "https://ops.example.org, http://localhost:3000";
  auto relaxed = parse_settings(values);
  ASSERT_TRUE(relaxed.ok());
  EXPECT_FALSE(relaxed.value.auth_required);
  EXPECT_EQ(relaxed.value.cors_allowed_origins,
            (std::vector<std::string>{"https://ops.example.org", "http://localhost:3000"}));
  EXPECT_TRUE(traffic::config::check_access(relaxed.value).empty());
}

TEST(Settings, TurnsTheAdminTokenIntoAKeyWithEveryScope) {
  auto values = minimal;
  values["ADMIN_TOKEN"] = "0123456789abcdef";
  values["API_KEYS"] = "sim:ingest:sim-token-0123456789";
  auto result = parse_settings(values);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.value.api_keys.size(), 2u);
  EXPECT_EQ(result.value.api_keys[0].name, "sim");
  EXPECT_EQ(result.value.api_keys[1].name, "admin-token");
  EXPECT_EQ(result.value.api_keys[1].scopes, 7u);
}

TEST(Settings, RefusesBadKeysOriginsAndRetentionWithoutEchoingKeys) {
  auto values = minimal;
  values["API_KEYS"] = "sim:ingest:short";
  values["CORS_ALLOWED_ORIGINS"] = "https://ok.example, ftp://x, https://a.example/path";
  values["RETENTION_DAYS"] = "-1";
  values["AUTH_REQUIRED"] = "maybe";
  auto result = parse_settings(values);
  ASSERT_EQ(result.errors.size(), 4u);
  for (const auto& e : result.errors)
    EXPECT_EQ(e.find("sim:ingest:short"), std::string::npos) << e;
}

TEST(Settings, AddsKeysOfAFileUnlessTheirNameOrTokenIsTaken) {
  auto values = minimal;
  values["API_KEYS"] = "sim:ingest:sim-token-0123456789";
  auto result = parse_settings(values);
  ASSERT_TRUE(result.ok());
  auto file = traffic::config::parse_api_keys(
      "ops:admin:ops-token-0123456789\nsim:read:other-token-0123456789\n"
      "dup:read:sim-token-0123456789",
      "API_KEYS_FILE");
  auto errors = traffic::config::add_key_file(result.value, file);
  EXPECT_EQ(errors.size(), 2u);
  ASSERT_EQ(result.value.api_keys.size(), 2u);
  EXPECT_EQ(result.value.api_keys[1].name, "ops");
}
