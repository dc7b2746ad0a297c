// Descriptive statistics and Welch's two-sample t-test: plain math on vectors of doubles.
#pragma once

#include <optional>
#include <vector>

namespace traffic::metrics {

/// Returns the arithmetic mean (0 for an empty sample).
double mean_of(const std::vector<double>& values);

/// Returns the unbiased sample variance (divisor n - 1); 0 when there are fewer than 2 values.
double sample_variance(const std::vector<double>& values);

/// Returns the continuous percentile `fraction` (0..1) with linear interpolation between the
/// closest ranks, as PostgreSQL's percentile_cont: position fraction * (n - 1) of the sorted
/// values. Nothing for an empty sample or a fraction outside 0..1. `values` need not be sorted.
std::optional<double> percentile_cont(std::vector<double> values, double fraction);

/// Returns P(T <= t) for Student's t distribution with `df` (> 0, not necessarily integer)
/// degrees of freedom, through the regularized incomplete beta function.
double student_t_cdf(double t, double df);

/// Returns the t with student_t_cdf(t, df) == p, for 0 < p < 1.
double student_t_quantile(double p, double df);

/// Welch's unequal-variance t-test of mean(b) - mean(a).
struct welch_result {
  double difference = 0; ///< mean(b) - mean(a)
  double t = 0;
  double df = 0;      ///< Welch-Satterthwaite degrees of freedom
  double p_value = 1; ///< two-sided
  double ci_low = 0;  ///< confidence interval of the difference
  double ci_high = 0;
};

/// Tests whether mean(b) differs from mean(a). Returns nothing when either sample has fewer
/// than 2 values. When both variances are 0 the interval is the difference itself, the
/// p-value is 0 if the means differ (t is then infinite) and 1 if not (t is 0), and df is the
/// pooled na + nb - 2. `confidence` is e.g. 0.95.
std::optional<welch_result> welch_t_test(const std::vector<double>& a, const std::vector<double>& b,
                                         double confidence = 0.95);

} // namespace traffic::metrics
