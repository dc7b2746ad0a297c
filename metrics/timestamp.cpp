// RFC 3339 date-times to and from microseconds since the epoch, without the C library's time zones.
#include "metrics/timestamp.hpp"

#include <cstdio>

namespace traffic::metrics {

namespace {

constexpr std::int64_t micros_per_second = 1'000'000;
constexpr std::int64_t micros_per_day = 86'400 * micros_per_second;

struct civil_date {
  std::int64_t year;
  int month; ///< 1..12
  int day;   ///< 1..31
};

/// Returns the number of days from 1970-01-01 to `date` (proleptic Gregorian; Howard Hinnant's
/// days_from_civil).
constexpr std::int64_t days_from_civil(civil_date date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = date.month > 2 ? date.month - 3 : date.month + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// Returns the date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
civil_date civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool is_leap_year(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(std::int64_t year, int month) {
  constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

/// Reads the text left to right; every read fails (returns nothing) rather than going past the end.
class reader {
 public:
  explicit reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }

  /// Reads exactly `n` decimal digits.
  std::optional<int> digits(std::size_t n) {
    if (text_.size() - pos_ < n)
      return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9')
        return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += n;
    return value;
  }

  /// Consumes the next character when it is one of `choices`; returns it, or '\0'.
  char one_of(std::string_view choices) {
    if (at_end() || choices.find(text_[pos_]) == std::string_view::npos)
      return '\0';
    return text_[pos_++];
  }

  /// Reads 1 to 9 fraction digits as microseconds, truncating digits past the sixth.
  std::optional<std::int64_t> fraction_micros() {
    std::int64_t micros = 0;
    std::size_t count = 0;
    while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (count < 6)
        micros = micros * 10 + (text_[pos_] - '0');
      ++count;
      ++pos_;
    }
    if (count == 0 || count > 9)
      return std::nullopt;
    for (auto i = count; i < 6; ++i)
      micros *= 10;
    return micros;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

/// The first and last instants of years 0001..9999, in UTC.
constexpr timestamp_us first_instant = days_from_civil({1, 1, 1}) * micros_per_day;
constexpr timestamp_us last_instant = days_from_civil({10000, 1, 1}) * micros_per_day - 1;

struct clock_time {
  int hour;
  int minute;
  int second;
};

/// Reads "YYYY-MM-DD" and checks it names a real day of 0001..9999.
std::optional<civil_date> read_date(reader& in) {
  const auto year = in.digits(4);
  if (!year || !in.one_of("-"))
    return std::nullopt;
  const auto month = in.digits(2);
  if (!month || !in.one_of("-"))
    return std::nullopt;
  const auto day = in.digits(2);
  if (!day || *year < 1 || *month < 1 || *month > 12 || *day < 1 ||
      *day > days_in_month(*year, *month))
    return std::nullopt;
  return civil_date{*year, *month, *day};
}

/// Reads "HH:MM:SS" (no leap second).
std::optional<clock_time> read_time(reader& in) {
  const auto hour = in.digits(2);
  if (!hour || !in.one_of(":"))
    return std::nullopt;
  const auto minute = in.digits(2);
  if (!minute || !in.one_of(":"))
    return std::nullopt;
  const auto second = in.digits(2);
  if (!second || *hour > 23 || *minute > 59 || *second > 59)
    return std::nullopt;
  return clock_time{*hour, *minute, *second};
}

/// Reads "Z" or "+hh:mm"/"-hh:mm" and returns the offset east of UTC in microseconds.
std::optional<std::int64_t> read_zone(reader& in) {
  if (in.one_of("Zz"))
    return 0;
  const char sign = in.one_of("+-");
  if (!sign)
    return std::nullopt;
  const auto hours = in.digits(2);
  if (!hours || !in.one_of(":"))
    return std::nullopt;
  const auto minutes = in.digits(2);
  if (!minutes || *hours > 23 || *minutes > 59)
    return std::nullopt;
  const std::int64_t offset = (*hours * 60 + *minutes) * 60 * micros_per_second;
  return sign == '-' ? -offset : offset;
}

} // namespace

std::optional<timestamp_us> parse_rfc3339(std::string_view text) {
  reader in(text);
  const auto date = read_date(in);
  if (!date || !in.one_of("Tt "))
    return std::nullopt;
  const auto time = read_time(in);
  if (!time)
    return std::nullopt;
  std::int64_t fraction = 0;
  if (in.one_of(".")) {
    const auto micros = in.fraction_micros();
    if (!micros)
      return std::nullopt;
    fraction = *micros;
  }
  const auto offset = read_zone(in);
  if (!offset || !in.at_end())
    return std::nullopt;
  const std::int64_t seconds_of_day = (time->hour * 60 + time->minute) * 60 + time->second;
  // The local wall clock is `offset` ahead of UTC, so UTC = local - offset.
  const timestamp_us t = days_from_civil(*date) * micros_per_day +
                         seconds_of_day * micros_per_second + fraction - *offset;
  // The year rule holds in UTC too: an offset may carry 0001-01-01T00:00:00+01:00 into year 0,
  // which PostgreSQL refuses (its batch, honest snapshots included, failed with a 500) and
  // format_rfc3339 could not write back as four digits.
  if (t < first_instant || t > last_instant)
    return std::nullopt;
  return t;
}

std::string format_rfc3339(timestamp_us t) {
  // Floor division, so instants before 1970 land on the previous day with a positive remainder.
  std::int64_t days = t / micros_per_day;
  std::int64_t rest = t % micros_per_day;
  if (rest < 0) {
    rest += micros_per_day;
    --days;
  }
  const civil_date date = civil_from_days(days);
  const std::int64_t seconds = rest / micros_per_second;
  const std::int64_t micros = rest % micros_per_second;
  char buffer[64];
  int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02lld:%02lld:%02lld",
                        static_cast<long long>(date.year), date.month, date.day,
                        static_cast<long long>(seconds / 3600),
                        static_cast<long long>(seconds / 60 % 60),
                        static_cast<long long>(seconds % 60));
  if (micros != 0)
    n += std::snprintf(buffer + n, sizeof buffer - static_cast<std::size_t>(n), ".%06lld",
                       static_cast<long long>(micros));
  return std::string(buffer, static_cast<std::size_t>(n)) + 'Z';
}

} // namespace traffic::metrics
