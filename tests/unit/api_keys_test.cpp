// API key parsing (config) and the key ring's checks (http): scopes, 401/403 outcomes.
#include "config/api_key_list.hpp"
#include "http/api_keys.hpp"

#include <gtest/gtest.h>

namespace {

using traffic::config::parse_api_keys;
using traffic::http::access;
using traffic::http::bearer_token;
using traffic::http::key_ring;
using traffic::http::scope;

const std::string token_a = "aaaaaaaaaaaaaaaa-token";
const std::string token_b = "bbbbbbbbbbbbbbbb:with:colons";

TEST(ApiKeyList, ParsesNamesScopesAndTokensSeparatedByCommasOrLines) {
  auto parsed = parse_api_keys(
      "sim:ingest:" + token_a + ", ops : admin+read :" + token_b + "\n# a comment\n\n", "API_KEYS");
  // Spaces around a field belong to it: " ops " is not a name.
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0], "API_KEYS entry 2: the name must be 1 to 64 of A-Z a-z 0-9 - _ .");
  parsed = parse_api_keys("sim:ingest:" + token_a + "\nops:admin+read:" + token_b, "F");
  ASSERT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.keys.size(), 2u);
  EXPECT_EQ(parsed.keys[0].name, "sim");
  EXPECT_EQ(parsed.keys[0].scopes, traffic::config::scope_ingest);
  EXPECT_EQ(parsed.keys[1].token, token_b);
  EXPECT_EQ(parsed.keys[1].scopes, traffic::config::scope_admin | traffic::config::scope_read);
  EXPECT_EQ(traffic::config::scope_names(parsed.keys[1].scopes), "read+admin");
}

TEST(ApiKeyList, RefusesBadEntriesWithoutEchoingTheirTokens) {
  auto parsed =
      parse_api_keys("a:ingest:short,b:write:" + token_a + ",c:read," + "d:read:" + token_a +
                         ",d:read:" + token_b + ",e:read:" + token_a,
                     "API_KEYS");
  std::vector<std::string> expected{
      "API_KEYS entry 1 ('a'): the token must be at least 16 printable characters without spaces",
      "API_KEYS entry 2 ('b'): scopes are ingest, read and admin, joined by '+'",
      "API_KEYS entry 3: expected name:scopes:token",
      "API_KEYS entry 5 ('d'): the name is used twice",
      "API_KEYS entry 6 ('e'): the token is the same as an earlier key's",
  };
  EXPECT_EQ(parsed.errors, expected);
  ASSERT_EQ(parsed.keys.size(), 1u);
  for (const auto& e : parsed.errors)
    EXPECT_EQ(e.find(token_a), std::string::npos);
}

TEST(BearerToken, TakesTheBearerSchemeInAnyCaseAndTrimsSpaces) {
  EXPECT_EQ(bearer_token("Bearer " + token_a), token_a);
  EXPECT_EQ(bearer_token("bEaReR   " + token_a + "  "), token_a);
  EXPECT_EQ(bearer_token("Basic " + token_a), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
  EXPECT_EQ(bearer_token(token_a), "");
}

class KeyRing : public testing::Test {
 protected:
  void SetUp() override {
    ring_.add("sim", static_cast<unsigned>(scope::ingest), token_a);
    ring_.add("ops", static_cast<unsigned>(scope::admin) | static_cast<unsigned>(scope::read),
              token_b);
  }
  key_ring ring_;
};

TEST_F(KeyRing, FindsAKeyByItsTokenOnly) {
  ASSERT_NE(ring_.find(token_a), nullptr);
  EXPECT_EQ(*ring_.find(token_a), "sim");
  EXPECT_EQ(ring_.find(token_a + "x"), nullptr);
  EXPECT_EQ(ring_.find(token_a.substr(1)), nullptr);
  EXPECT_EQ(ring_.find(""), nullptr);
}

TEST_F(KeyRing, ChecksScopesWhenAuthIsRequired) {
  EXPECT_EQ(ring_.check("Bearer " + token_a, scope::ingest, true), access::granted);
  EXPECT_EQ(ring_.check("Bearer " + token_a, scope::read, true), access::insufficient_scope);
  EXPECT_EQ(ring_.check("Bearer " + token_b, scope::read, true), access::granted);
  EXPECT_EQ(ring_.check("Bearer wrong-token-0123456789", scope::read, true), access::unknown_key);
  EXPECT_EQ(ring_.check("", scope::read, true), access::missing);
  EXPECT_EQ(ring_.check("", scope::none, true), access::granted);
  const std::string* name = nullptr;
  EXPECT_EQ(ring_.check("Bearer " + token_b, scope::ingest, true, &name),
            access::insufficient_scope);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(*name, "ops");
}

TEST_F(KeyRing, LooksOnlyAtAdminRoutesWhenAuthIsOff) {
  EXPECT_EQ(ring_.check("", scope::ingest, false), access::granted);
  EXPECT_EQ(ring_.check("Bearer junk", scope::read, false), access::granted);
  EXPECT_EQ(ring_.check("", scope::admin, false), access::missing);
  EXPECT_EQ(ring_.check("Bearer " + token_a, scope::admin, false), access::insufficient_scope);
  EXPECT_EQ(ring_.check("Bearer " + token_b, scope::admin, false), access::granted);
}

TEST(KeyRingWithoutAdmin, TurnsAdminRoutesOff) {
  key_ring ring;
  ring.add("sim", static_cast<unsigned>(scope::ingest), token_a);
  EXPECT_EQ(ring.check("Bearer " + token_a, scope::admin, true), access::admin_off);
  EXPECT_EQ(key_ring{}.check("", scope::admin, false), access::admin_off);
}

} // namespace
