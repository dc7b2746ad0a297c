// Unit tests of the events-per-second meter, with the clock's milliseconds passed in.
#include "metrics/rate_meter.hpp"

#include <gtest/gtest.h>

using traffic::metrics::rate_meter;

TEST(RateMeter, IsZeroWithoutEvents) {
  rate_meter meter{10};
  EXPECT_EQ(meter.per_second(0), 0.0);
  EXPECT_EQ(meter.per_second(50'000), 0.0);
}

TEST(RateMeter, DividesAFreshMeterByAtLeastOneSecond) {
  rate_meter meter{10};
  meter.add(1'000, 5);
  EXPECT_DOUBLE_EQ(meter.per_second(1'500), 5.0); // 0.5 s old: one second is the floor
}

TEST(RateMeter, DividesAYoungMeterByItsAge) {
  rate_meter meter{10};
  meter.add(1'000, 4);
  meter.add(2'200, 6);
  EXPECT_DOUBLE_EQ(meter.per_second(5'000), 2.5); // 10 events over 4 s
}

TEST(RateMeter, DividesByTheWindowOnceItIsFull) {
  rate_meter meter{10};
  for (std::int64_t s = 0; s < 20; ++s)
    meter.add(s * 1'000 + 300, 10);
  // Slots 10..19 are in the window ending at 19.5 s: 100 events over 10 s.
  EXPECT_DOUBLE_EQ(meter.per_second(19'500), 10.0);
}

TEST(RateMeter, AddsEventsOfOneSecondIntoOneSlot) {
  rate_meter meter{10};
  meter.add(30'000, 3);
  meter.add(30'400, 4);
  meter.add(30'999, 5);
  EXPECT_DOUBLE_EQ(meter.per_second(31'000), 12.0); // 1 s old
}

TEST(RateMeter, ForgetsSlotsThatLeftTheWindow) {
  rate_meter meter{10};
  meter.add(0, 100);
  meter.add(12'000, 20);
  // The window ending at 12.5 s holds slots 3..12: only the 20, over the full 10 s.
  EXPECT_DOUBLE_EQ(meter.per_second(12'500), 2.0);
  EXPECT_EQ(meter.per_second(30'000), 0.0);
}

TEST(RateMeter, KeepsASlotUntilItsSecondLeavesTheWindow) {
  rate_meter meter{10};
  meter.add(0, 10);
  EXPECT_DOUBLE_EQ(meter.per_second(9'999), 10 / 9.999); // slot 0 is one of slots 0..9
  EXPECT_EQ(meter.per_second(10'000), 0.0);              // the window is now slots 1..10
}

TEST(RateMeter, IgnoresEmptyAdds) {
  rate_meter meter{10};
  meter.add(0, 0);
  meter.add(1'000, -3);
  meter.add(5'000, 4);
  EXPECT_DOUBLE_EQ(meter.per_second(5'500), 4.0); // the meter started at 5 s, not 0 s
}
