// Descriptive statistics and Welch's two-sample t-test: plain math on vectors of doubles.
#include "metrics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace traffic::metrics {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double pi = 3.14159265358979323846;

/// Returns ln B(a, 1/2) = ln Γ(a) + ln Γ(1/2) - ln Γ(a + 1/2). For large a the difference of
/// two huge lgamma values would cancel most digits, so it uses the asymptotic series of
/// ln Γ(a + 1/2) - ln Γ(a) instead (error below 1e-18 from a = 50 on).
double log_beta_half(double a) {
  const double log_sqrt_pi = std::lgamma(0.5); // ln Γ(1/2) = ln √π
  if (a < 50)
    return std::lgamma(a) + log_sqrt_pi - std::lgamma(a + 0.5);
  const double r = 1 / a;
  const double r2 = r * r;
  const double log_gamma_ratio =
      0.5 * std::log(a) - r / 8 + r * r2 * (1.0 / 192 - r2 * (1.0 / 640 - r2 * 17.0 / 14336));
  return log_sqrt_pi - log_gamma_ratio;
}

/// Evaluates the continued fraction of the incomplete beta function I_x(a, b) by the modified
/// Lentz method (Numerical Recipes' betacf). Converges quickly for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x, double y) {
  constexpr int max_iterations = 100'000;
  constexpr double epsilon = 1e-16;
  constexpr double tiny = 1e-300;
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  // 1 - (a + b) x / (a + 1), rewritten through y = 1 - x when x is near 1, where the direct
  // form would cancel (large a, x close to 1).
  double d = x < 0.5 ? 1 - qab * x / qap : ((1 - b) + qab * y) / qap;
  d = 1 / (std::fabs(d) < tiny ? tiny : d);
  double h = d;
  // Each pass applies one even and one odd step of the fraction.
  auto step = [&](double aa) {
    d = 1 + aa * d;
    d = 1 / (std::fabs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    c = std::fabs(c) < tiny ? tiny : c;
    const double delta = d * c;
    h *= delta;
    return delta;
  };
  for (int m = 1; m <= max_iterations; ++m) {
    const double m2 = 2.0 * m;
    step(m * (b - m) * x / ((qam + m2) * (a + m2)));
    const double delta = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
    if (!(std::fabs(delta - 1) >= epsilon))
      break; // converged (or NaN, which no further step would cure)
  }
  return h;
}

/// Returns the hypergeometric sum F(a + b, 1; a + 1; x) = sum of prod_k (a + b + k) / (a + 1 + k)
/// x^n, with which I_x(a, b) = front / a * sum (DLMF 8.17.8). Its terms are positive, so it keeps
/// full precision; it suits small x with large b, where the ratio of terms is about b x / n.
double beta_series(double a, double b, double x) {
  double term = 1;
  double sum = 1;
  for (int n = 0; n < 100'000 && term > 1e-17 * sum; ++n) {
    term *= (a + b + n) / (a + 1 + n) * x;
    sum += term;
  }
  return sum;
}

/// Between this df and fisher_min_df, a t² below series_max_t2 lies where the continued
/// fraction needs about sqrt(df) steps and drifts; beta_series serves there instead.
constexpr double series_min_df = 1e4;

/// Up to this t², beta_series takes few terms, and the tail it gives as 1 - I (then above about
/// 2e-3) keeps 12 significant digits; past it the continued fraction is fast and accurate.
constexpr double series_max_t2 = 8;

/// Above this df, the continued fraction's steps cancel (1 + a term near -1) and lose digits,
/// while Fisher's expansion of the tail to 1 / df³ is off by under 1e-11 (relative) for tails
/// above 1e-9 and under 1e-9 for tails above 1e-16 (checked against the integrated density).
constexpr double fisher_min_df = 1e5;

/// Returns P(T > t) for t >= 0 by Fisher's expansion Q(t) + φ(t) (g1 / df + g2 / df² +
/// g3 / df³), Q and φ being the standard normal tail and density.
double fisher_upper_tail(double t, double df) {
  if (t > 40)
    return 0; // below the smallest double for any df > fisher_min_df; spares inf * 0
  const double t2 = t * t;
  const double density = std::exp(-t2 / 2) / std::sqrt(2 * pi);
  const double g1 = (t2 + 1) * t / 4;
  const double g2 = (((3 * t2 - 7) * t2 - 5) * t2 - 3) * t / 96;
  const double g3 = (((((t2 - 11) * t2 + 14) * t2 + 6) * t2 - 3) * t2 - 15) * t / 384;
  return 0.5 * std::erfc(t / std::sqrt(2.0)) + density * (g1 + (g2 + g3 / df) / df) / df;
}

/// Returns P(T > t) for t >= 0: half the regularized incomplete beta I_x(df/2, 1/2) at
/// x = df / (df + t²), or the normal tail for an infinite df.
double upper_tail(double t, double df) {
  if (std::isinf(df))
    return 0.5 * std::erfc(t / std::sqrt(2.0));
  if (df > fisher_min_df)
    return fisher_upper_tail(t, df);
  const double t2 = t * t;
  if (t2 == 0)
    return 0.5;
  // x = df / (df + t²) and y = 1 - x. For large df, x is so close to 1 that ln x must come from
  // log1p(t² / df), or a * ln x (a = df / 2) keeps few correct digits.
  const double ratio = t2 / df;
  double x = 1 / (1 + ratio);
  double y = ratio / (1 + ratio);
  double log_x = -std::log1p(ratio);
  double log_y = std::log(ratio) + log_x;
  if (!(ratio < 1e15)) {
    // t² / df dwarfs 1 or overflows (a tiny df has a heavy tail even at t = 1e200): logs of t
    // and df stand in, off by under 1 / ratio.
    log_x = std::log(df) - 2 * std::log(t);
    x = std::exp(log_x);
    y = 1;
    log_y = 0;
  }
  const double a = df / 2;
  const double b = 0.5;
  const double front = std::exp(a * log_x + b * log_y - log_beta_half(a));
  if (df > series_min_df && t2 < series_max_t2)
    return 0.5 * (1 - front * beta_series(b, a, y) / b);
  // The fraction converges fast only on one side of the mean of the beta distribution; on the
  // other side use I_x(a, b) = 1 - I_{1-x}(b, a).
  const double beta = x < (a + 1) / (a + b + 2)
                          ? front * beta_continued_fraction(a, b, x, y) / a
                          : 1 - front * beta_continued_fraction(b, a, y, x) / b;
  return 0.5 * std::clamp(beta, 0.0, 1.0);
}

/// Returns the t >= 0 with P(T > t) == tail, for 0 < tail <= 1/2, by bisection: the tail is
/// monotone, so bracketing cannot fail where Newton steps might overshoot in the far tail.
double upper_quantile(double tail, double df) {
  if (tail >= 0.5)
    return 0;
  double lo = 0;
  double hi = 1;
  // Ends by hi = infinity at the latest, whose tail is 0; a quantile beyond the largest double
  // then comes out as infinity.
  while (upper_tail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
  }
  for (int i = 0; i < 2000; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi)
      break; // the bracket is down to adjacent doubles
    (upper_tail(mid, df) > tail ? lo : hi) = mid;
  }
  return lo + (hi - lo) / 2;
}

} // namespace

double mean_of(const std::vector<double>& values) {
  if (values.empty())
    return 0;
  double sum = 0;
  for (double v : values)
    sum += v;
  return sum / static_cast<double>(values.size());
}

double sample_variance(const std::vector<double>& values) {
  if (values.size() < 2)
    return 0;
  // Two passes: summing squared deviations from the mean avoids the cancellation of
  // sum(x²) - n·mean².
  const double m = mean_of(values);
  double sum = 0;
  for (double v : values)
    sum += (v - m) * (v - m);
  return sum / static_cast<double>(values.size() - 1);
}

std::optional<double> percentile_cont(std::vector<double> values, double fraction) {
  if (values.empty() || !(fraction >= 0 && fraction <= 1))
    return std::nullopt;
  std::sort(values.begin(), values.end());
  const double position = fraction * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const auto upper = static_cast<std::size_t>(std::ceil(position));
  if (lower == upper)
    return values[lower];
  return values[lower] + (position - static_cast<double>(lower)) * (values[upper] - values[lower]);
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || !(df > 0))
    return nan;
  return t >= 0 ? 1 - upper_tail(t, df) : upper_tail(-t, df);
}

double student_t_quantile(double p, double df) {
  if (!(df > 0) || !(p >= 0 && p <= 1))
    return nan;
  if (p == 0)
    return -infinity;
  if (p == 1)
    return infinity;
  // 1 - p is exact for p >= 1/2, so the upper quantiles keep their precision.
  return p >= 0.5 ? upper_quantile(1 - p, df) : -upper_quantile(p, df);
}

std::optional<welch_result> welch_t_test(const std::vector<double>& a, const std::vector<double>& b,
                                         double confidence) {
  if (a.size() < 2 || b.size() < 2 || !(confidence > 0 && confidence < 1))
    return std::nullopt;
  const auto na = static_cast<double>(a.size());
  const auto nb = static_cast<double>(b.size());
  const double va = sample_variance(a) / na; // squared standard error of each mean
  const double vb = sample_variance(b) / nb;
  const double se2 = va + vb;

  welch_result r;
  r.difference = mean_of(b) - mean_of(a);
  if (!std::isfinite(r.difference) || !std::isfinite(se2))
    return std::nullopt; // a NaN or infinite value has no test
  if (se2 == 0) {
    // No spread at all: the difference is exact. df degenerates to 0/0; report the pooled df.
    r.df = na + nb - 2;
    r.t = r.difference == 0 ? 0 : std::copysign(infinity, r.difference);
    r.p_value = r.difference == 0 ? 1 : 0;
    r.ci_low = r.ci_high = r.difference;
    return r;
  }
  const double se = std::sqrt(se2);
  // Welch-Satterthwaite with the shares of se² so tiny variances do not underflow when squared.
  const double sa = va / se2;
  const double sb = vb / se2;
  r.df = 1 / (sa * sa / (na - 1) + sb * sb / (nb - 1));
  r.t = r.difference / se;
  r.p_value = std::min(1.0, 2 * upper_tail(std::fabs(r.t), r.df));
  const double margin = upper_quantile((1 - confidence) / 2, r.df) * se;
  r.ci_low = r.difference - margin;
  r.ci_high = r.difference + margin;
  return r;
}

} // namespace traffic::metrics
