// Unit tests of the cache's storage: hits, TTL, the byte bound with LRU eviction, invalidation.
#include "actors/answer_store.hpp"

#include <gtest/gtest.h>

using traffic::actors::answer_store;
using namespace std::chrono_literals;

namespace {

answer_store::body text(std::size_t bytes, char fill = 'x') {
  return std::make_shared<const std::string>(bytes, fill);
}

const answer_store::clock::time_point t0{};

} // namespace

TEST(AnswerStore, FindsWhatItStoredUntilTheTtlPasses) {
  answer_store store{1 << 20, 1000ms};
  store.put("k", text(10), {"SIM_A"}, t0);
  ASSERT_NE(store.find("k", t0 + 1000ms), nullptr);
  EXPECT_EQ(*store.find("k", t0 + 1000ms), std::string(10, 'x'));
  EXPECT_EQ(store.find("k", t0 + 1001ms), nullptr);
  EXPECT_EQ(store.entries(), 0);
  EXPECT_EQ(store.bytes(), 0);
  EXPECT_EQ(store.counters().expirations, 1);
}

TEST(AnswerStore, StoresNothingWhenDisabled) {
  answer_store no_ttl{1 << 20, 0ms};
  no_ttl.put("k", text(10), {}, t0);
  EXPECT_EQ(no_ttl.entries(), 0);
  answer_store no_bytes{0, 1000ms};
  no_bytes.put("k", text(10), {}, t0);
  EXPECT_EQ(no_bytes.entries(), 0);
}

TEST(AnswerStore, EvictsTheLeastRecentlyUsedToStayWithinTheBound) {
  // Each entry costs 700 + 2 x 1 + 256 = 958 bytes; 4000 bytes hold four of them.
  answer_store store{4000, 60s};
  for (const char* key : {"a", "b", "c", "d"})
    store.put(key, text(700), {}, t0);
  EXPECT_EQ(store.bytes(), 4 * 958);
  ASSERT_NE(store.find("a", t0), nullptr); // a is now the most recently used, b the least
  store.put("e", text(700), {}, t0);
  EXPECT_EQ(store.entries(), 4);
  EXPECT_EQ(store.find("b", t0), nullptr);
  for (const char* key : {"a", "c", "d", "e"})
    EXPECT_NE(store.find(key, t0), nullptr) << key;
  EXPECT_EQ(store.counters().evictions, 1);
  EXPECT_EQ(store.bytes(), 4 * 958);
}

TEST(AnswerStore, RefusesAnAnswerBiggerThanAQuarterOfTheBound) {
  answer_store store{4000, 60s};
  store.put("small", text(10), {}, t0);
  store.put("huge", text(1000), {}, t0);
  EXPECT_EQ(store.find("huge", t0), nullptr);
  EXPECT_NE(store.find("small", t0), nullptr);
}

TEST(AnswerStore, ReplacingAKeyKeepsTheByteCountExact) {
  answer_store store{1 << 20, 60s};
  store.put("k", text(100), {"SIM_A"}, t0);
  store.put("k", text(50, 'y'), {"SIM_B"}, t0);
  EXPECT_EQ(store.entries(), 1);
  EXPECT_EQ(store.bytes(), 50 + 2 + 256);
  // The old dependency is gone with the old entry.
  EXPECT_EQ(store.invalidate({"SIM_A"}), 0);
  EXPECT_EQ(store.invalidate({"SIM_B"}), 1);
}

TEST(AnswerStore, InvalidatesDependentAndUnfilteredAnswersOnly) {
  answer_store store{1 << 20, 60s};
  store.put("summary A", text(10), {"SIM_A"}, t0);
  store.put("summary B", text(10), {"SIM_B"}, t0);
  store.put("compare A B", text(10), {"SIM_A", "SIM_B"}, t0);
  store.put("everything", text(10), {}, t0);
  EXPECT_EQ(store.invalidate({"SIM_A"}), 3);
  EXPECT_EQ(store.find("summary A", t0), nullptr);
  EXPECT_EQ(store.find("compare A B", t0), nullptr);
  EXPECT_EQ(store.find("everything", t0), nullptr);
  EXPECT_NE(store.find("summary B", t0), nullptr);
  EXPECT_EQ(store.counters().invalidations, 3);
  EXPECT_EQ(store.bytes(), 10 + 2 * 9 + 256);
}

TEST(AnswerStore, ClearDropsEverythingAndSaysHowMuch) {
  answer_store store{1 << 20, 60s};
  store.put("a", text(10), {"SIM_A"}, t0);
  store.put("b", text(20), {}, t0);
  auto [entries, bytes] = store.clear();
  EXPECT_EQ(entries, 2);
  EXPECT_EQ(bytes, (10 + 2 + 256) + (20 + 2 + 256));
  EXPECT_EQ(store.entries(), 0);
  EXPECT_EQ(store.bytes(), 0);
  EXPECT_EQ(store.invalidate({"SIM_A"}), 0);
}

TEST(AnswerStore, SweepDropsOnlyExpiredEntries) {
  answer_store store{1 << 20, 1000ms};
  store.put("old", text(10), {}, t0);
  store.put("new", text(10), {}, t0 + 900ms);
  store.expire(t0 + 1500ms);
  EXPECT_EQ(store.entries(), 1);
  EXPECT_NE(store.find("new", t0 + 1500ms), nullptr);
  EXPECT_EQ(store.counters().expirations, 1);
}
