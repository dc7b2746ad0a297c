// Unit tests of the descriptive statistics, Student's t distribution and Welch's t-test.
#include "metrics/statistics.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

using namespace traffic::metrics;

namespace {

const double pi = std::acos(-1.0);

/// R's sleep data set: extra hours of sleep under drug 1 and drug 2.
const std::vector<double> sleep_group1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> sleep_group2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

} // namespace

TEST(MeanOf, AveragesAndGivesZeroWhenEmpty) {
  EXPECT_DOUBLE_EQ(mean_of({2, 4, 4, 4, 5, 5, 7, 9}), 5.0);
  EXPECT_EQ(mean_of({}), 0.0);
}

TEST(SampleVariance, DividesByNMinusOne) {
  // Squared deviations from 5: 9 1 1 1 0 0 4 16 = 32, over 7.
  EXPECT_DOUBLE_EQ(sample_variance({2, 4, 4, 4, 5, 5, 7, 9}), 32.0 / 7);
  EXPECT_DOUBLE_EQ(sample_variance({1, 3}), 2.0);
  EXPECT_EQ(sample_variance({42}), 0.0);
  EXPECT_EQ(sample_variance({}), 0.0);
}

TEST(PercentileCont, InterpolatesBetweenClosestRanks) {
  EXPECT_DOUBLE_EQ(*percentile_cont({1, 2, 3, 4}, 0.5), 2.5);   // position 1.5
  EXPECT_DOUBLE_EQ(*percentile_cont({1, 2, 3, 4}, 0.95), 3.85); // position 2.85
  EXPECT_DOUBLE_EQ(*percentile_cont({1, 2, 3, 4}, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(*percentile_cont({1, 2, 3, 4}, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(*percentile_cont({10, 20}, 0.25), 12.5);
  EXPECT_DOUBLE_EQ(*percentile_cont({1, 2, 3}, 0.5), 2.0); // exactly on a rank
}

TEST(PercentileCont, SortsItsInput) {
  EXPECT_DOUBLE_EQ(*percentile_cont({4, 1, 3, 2}, 0.95), 3.85);
  EXPECT_DOUBLE_EQ(*percentile_cont({9, -1, 5}, 0.75), 7.0); // sorted -1 5 9, position 1.5
}

TEST(PercentileCont, GivesTheOnlyValueOfASingleton) {
  EXPECT_DOUBLE_EQ(*percentile_cont({7}, 0.0), 7.0);
  EXPECT_DOUBLE_EQ(*percentile_cont({7}, 0.95), 7.0);
}

TEST(PercentileCont, RejectsEmptySamplesAndFractionsOutsideZeroToOne) {
  EXPECT_FALSE(percentile_cont({}, 0.5));
  EXPECT_FALSE(percentile_cont({1, 2}, -0.1));
  EXPECT_FALSE(percentile_cont({1, 2}, 1.1));
  EXPECT_FALSE(percentile_cont({1, 2}, std::numeric_limits<double>::quiet_NaN()));
}

TEST(StudentT, MatchesClosedFormsForOneAndTwoDegreesOfFreedom) {
  for (double t : {-30.0, -4.0, -1.0, -0.25, 0.5, 2.0, 7.0}) {
    // df = 1 is the Cauchy distribution; df = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t²)).
    EXPECT_NEAR(student_t_cdf(t, 1), 0.5 + std::atan(t) / pi, 1e-14) << t;
    EXPECT_NEAR(student_t_cdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-14) << t;
  }
  for (double p : {0.001, 0.1, 0.6, 0.975, 0.999}) {
    EXPECT_NEAR(student_t_quantile(p, 1), std::tan(pi * (p - 0.5)), 1e-9) << p;
    EXPECT_NEAR(student_t_quantile(p, 2), (2 * p - 1) / std::sqrt(2 * p * (1 - p)), 1e-10) << p;
  }
}

TEST(StudentT, MatchesTabulatedQuantiles) {
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.7062047, 1e-7);
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.7764451, 1e-7);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.2281389, 1e-7);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.0422725, 1e-7);
  EXPECT_NEAR(student_t_quantile(0.995, 5), 4.0321430, 1e-7);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.2281389, 1e-7);
}

TEST(StudentT, ApproachesTheNormalForLargeDegreesOfFreedom) {
  const double z975 = 1.959963984540054;
  EXPECT_NEAR(student_t_quantile(0.975, std::numeric_limits<double>::infinity()), z975, 1e-10);
  EXPECT_NEAR(student_t_quantile(0.975, 1e12), z975, 1e-10);
  // Cornish-Fisher (Abramowitz & Stegun 26.7.5): z + (z³ + z) / (4 df) + (5z⁵ + 16z³ + 3z) /
  // (96 df²) leaves an error near 1e-15 at df = 1e5.
  const double z = z975;
  const double cornish_fisher =
      z + (z * z * z + z) / 4e5 + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * 1e10);
  EXPECT_NEAR(student_t_quantile(0.975, 1e5), cornish_fisher, 1e-12);
  EXPECT_NEAR(student_t_cdf(1.959963984540054, 1e9), 0.975, 1e-9);
}

TEST(StudentT, IsSymmetricAroundZero) {
  EXPECT_EQ(student_t_cdf(0, 3.5), 0.5);
  EXPECT_EQ(student_t_quantile(0.5, 3.5), 0.0);
  for (double df : {0.7, 3.0, 17.776, 250.0, 5e4, 2e6})
    for (double t : {0.1, 1.3, 2.9, 6.0}) {
      EXPECT_NEAR(student_t_cdf(-t, df), 1 - student_t_cdf(t, df), 1e-14) << df << " " << t;
      EXPECT_NEAR(student_t_quantile(0.3, df), -student_t_quantile(0.7, df), 1e-12) << df;
    }
}

TEST(StudentT, QuantileInvertsTheCdf) {
  for (double df : {0.5, 1.0, 2.5, 9.0, 17.776, 120.0, 3e3, 2e4, 5e5})
    for (double p : {1e-9, 0.0005, 0.025, 0.2, 0.5, 0.8, 0.975, 0.9995})
      EXPECT_NEAR(student_t_cdf(student_t_quantile(p, df), df) / p, 1.0, 1e-10) << df << " " << p;
}

TEST(StudentT, AnswersNaNOrInfinityOutsideItsDomain) {
  EXPECT_TRUE(std::isnan(student_t_cdf(1, 0)));
  EXPECT_TRUE(std::isnan(student_t_cdf(1, -2)));
  EXPECT_TRUE(std::isnan(student_t_quantile(1.5, 3)));
  EXPECT_EQ(student_t_quantile(0, 3), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(student_t_quantile(1, 3), std::numeric_limits<double>::infinity());
  EXPECT_EQ(student_t_cdf(std::numeric_limits<double>::infinity(), 3), 1.0);
  EXPECT_EQ(student_t_cdf(-1e300, 3), 0.0);
}

TEST(StudentT, KeepsTheHeavyTailsOfFewDegreesOfFreedom) {
  // Cauchy: F(-t) = atan(1 / t) / π, which is 1 / (π t) to double precision at t = 1e200.
  EXPECT_NEAR(student_t_cdf(-1e200, 1) * 1e200 * pi, 1.0, 1e-12);
  // With df = 0.01 the 1e-12 quantile lies near -1e1200, beyond every double.
  EXPECT_EQ(student_t_quantile(1e-12, 0.01), -std::numeric_limits<double>::infinity());
}

TEST(WelchTest, MatchesRSleepExample) {
  // R: t.test(extra ~ group, data = sleep) gives t = -1.8608, df = 17.776, p-value = 0.07939,
  // 95% CI -3.3654832 0.2054832 for mean(group 1) - mean(group 2) = 0.75 - 2.33. Ours is
  // mean(b) - mean(a), so the signs flip.
  auto r = welch_t_test(sleep_group1, sleep_group2);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->difference, 1.58, 1e-12);
  EXPECT_NEAR(r->t, 1.8608, 5e-5);
  EXPECT_NEAR(r->df, 17.776, 5e-4);
  EXPECT_NEAR(r->p_value, 0.07939, 5e-6);
  EXPECT_NEAR(r->ci_low, -0.2054832, 1e-7);
  EXPECT_NEAR(r->ci_high, 3.3654832, 1e-7);
}

TEST(WelchTest, MatchesClosedFormWithTwoDegreesOfFreedom) {
  // Means 1 and 4, both variances 2: se = sqrt(2/2 + 2/2) = sqrt 2, t = 3 / sqrt 2, df = 2.
  // With df = 2, P(|T| > t) = 1 - t / sqrt(2 + t²) = 1 - 3 / sqrt 13, and t_0.975 = 0.95 /
  // sqrt(2 * 0.975 * 0.025).
  auto r = welch_t_test({0, 2}, {3, 5});
  ASSERT_TRUE(r);
  const double margin = 0.95 / std::sqrt(2 * 0.975 * 0.025) * std::sqrt(2.0);
  EXPECT_DOUBLE_EQ(r->difference, 3.0);
  EXPECT_NEAR(r->t, 3 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(r->df, 2.0, 1e-12);
  EXPECT_NEAR(r->p_value, 1 - 3 / std::sqrt(13.0), 1e-12);
  EXPECT_NEAR(r->ci_low, 3 - margin, 1e-9);
  EXPECT_NEAR(r->ci_high, 3 + margin, 1e-9);
}

TEST(WelchTest, TakesTheOtherSidesDegreesWhenOneVarianceIsZero) {
  // a has no spread: se² = 4 / 3 from b alone, df = n_b - 1 = 2, t = 1 / sqrt(4/3).
  auto r = welch_t_test({1, 1, 1, 1}, {0, 2, 4});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->df, 2.0, 1e-12);
  EXPECT_NEAR(r->t, std::sqrt(0.75), 1e-12);
  EXPECT_NEAR(r->p_value, 1 - std::sqrt(3.0 / 11), 1e-12); // t² = 3/4: t / sqrt(2 + t²)
}

TEST(WelchTest, ReportsAnExactDifferenceWhenNeitherSampleVaries) {
  auto differ = welch_t_test({1, 1, 1}, {3, 3});
  ASSERT_TRUE(differ);
  EXPECT_EQ(differ->difference, 2.0);
  EXPECT_EQ(differ->ci_low, 2.0);
  EXPECT_EQ(differ->ci_high, 2.0);
  EXPECT_EQ(differ->p_value, 0.0);
  EXPECT_EQ(differ->t, std::numeric_limits<double>::infinity());

  auto same = welch_t_test({5, 5}, {5, 5, 5});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->difference, 0.0);
  EXPECT_EQ(same->p_value, 1.0);
  EXPECT_EQ(same->t, 0.0);
  EXPECT_EQ(same->ci_low, 0.0);
  EXPECT_EQ(same->ci_high, 0.0);
}

TEST(WelchTest, NeedsTwoValuesOnEachSideAndAProperConfidence) {
  EXPECT_FALSE(welch_t_test({1}, {1, 2, 3}));
  EXPECT_FALSE(welch_t_test({1, 2, 3}, {}));
  EXPECT_FALSE(welch_t_test({1, 2}, {3, 4}, 1.0));
  EXPECT_FALSE(welch_t_test({1, 2}, {3, 4}, 0.0));
  EXPECT_FALSE(welch_t_test({1, std::numeric_limits<double>::quiet_NaN()}, {3, 4}));
}

TEST(WelchTest, WidensTheIntervalWithTheConfidence) {
  auto r95 = welch_t_test(sleep_group1, sleep_group2, 0.95);
  auto r99 = welch_t_test(sleep_group1, sleep_group2, 0.99);
  ASSERT_TRUE(r95 && r99);
  EXPECT_LT(r99->ci_low, r95->ci_low);
  EXPECT_GT(r99->ci_high, r95->ci_high);
  EXPECT_DOUBLE_EQ(r99->p_value, r95->p_value);
}
