// Unit tests of the admin token check.
#include "http/admin_auth.hpp"

#include <gtest/gtest.h>

using traffic::http::admin_access;
using traffic::http::check_admin;
using traffic::http::equal_in_constant_time;

namespace {
const std::string token = "0123456789abcdef-secret";
} // namespace

TEST(AdminAuth, GrantsTheConfiguredBearerToken) {
  EXPECT_EQ(check_admin("Bearer " + token, token), admin_access::granted);
  EXPECT_EQ(check_admin("bearer " + token, token), admin_access::granted);
  EXPECT_EQ(check_admin("BEARER  " + token + " ", token), admin_access::granted);
}

TEST(AdminAuth, IsOffWithoutAConfiguredToken) {
  EXPECT_EQ(check_admin("Bearer anything", ""), admin_access::not_configured);
  EXPECT_EQ(check_admin("", ""), admin_access::not_configured);
}

TEST(AdminAuth, RefusesMissingCredentials) {
  EXPECT_EQ(check_admin("", token), admin_access::missing);
  EXPECT_EQ(check_admin("Bearer ", token), admin_access::missing);
  EXPECT_EQ(check_admin("Bearer    ", token), admin_access::missing);
  EXPECT_EQ(check_admin("Basic " + token, token), admin_access::missing);
  EXPECT_EQ(check_admin(token, token), admin_access::missing);
}

TEST(AdminAuth, RefusesAWrongToken) {
  EXPECT_EQ(check_admin("Bearer " + token + "x", token), admin_access::wrong);
  EXPECT_EQ(check_admin("Bearer " + token.substr(1), token), admin_access::wrong);
  EXPECT_EQ(check_admin("Bearer x" + token.substr(1), token), admin_access::wrong);
}

TEST(AdminAuth, ComparesWholeTexts) {
  EXPECT_TRUE(equal_in_constant_time("", ""));
  EXPECT_TRUE(equal_in_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_in_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_in_constant_time("abc", "ab"));
  EXPECT_FALSE(equal_in_constant_time("ab", "abc"));
  EXPECT_FALSE(equal_in_constant_time("", "a"));
  // A NUL where the shorter text ends must not pass for equality.
  EXPECT_FALSE(equal_in_constant_time(std::string_view{"ab\0", 3}, "ab"));
}
