// CORS decisions and headers for allowed, other and absent origins.
#include "http/cors.hpp"

#include <gtest/gtest.h>

namespace {

using traffic::http::cors_policy;
using traffic::http::response;

std::string header(const response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name)
      return v;
  return "";
}

TEST(Cors, AllowsListedOriginsOnly) {
  cors_policy policy{{"https://a.example", "http://localhost:3000"}};
  EXPECT_TRUE(policy.allows("https://a.example"));
  EXPECT_FALSE(policy.allows("https://a.example.evil"));
  EXPECT_FALSE(policy.allows(""));
  response r;
  policy.decorate(r, "https://a.example");
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://a.example");
  EXPECT_EQ(header(r, "Vary"), "Origin");
  response other;
  policy.decorate(other, "https://b.example");
  EXPECT_TRUE(other.headers.empty());
}

TEST(Cors, AnswersAnyOriginWithAStarAndNoVary) {
  cors_policy policy{{"*"}};
  response r;
  policy.decorate(r, "http://x.test");
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(r, "Vary"), "");
}

TEST(Cors, AllowsNothingByDefault) {
  cors_policy policy;
  EXPECT_FALSE(policy.allows("http://x.test"));
  auto r = policy.preflight("http://x.test", "GET", "rid");
  EXPECT_EQ(r.status, 403u);
}

TEST(Cors, AnswersAPreflightWithMethodsAndHeaders) {
  cors_policy policy{{"https://a.example"}};
  auto r = policy.preflight("https://a.example", "PUT, DELETE", "rid");
  EXPECT_EQ(r.status, 204u);
  EXPECT_EQ(header(r, "Access-Control-Allow-Methods"), "PUT, DELETE, OPTIONS");
  EXPECT_EQ(header(r, "Access-Control-Max-Age"), "600");
  // Without Origin it is a plain OPTIONS: the Allow header only.
  auto plain = policy.preflight("", "GET", "rid");
  EXPECT_EQ(plain.status, 204u);
  EXPECT_EQ(header(plain, "Allow"), "GET, OPTIONS");
  EXPECT_EQ(header(plain, "Access-Control-Allow-Origin"), "");
}

} // namespace
