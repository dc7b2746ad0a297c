// Decodes ingest bodies (one JSON snapshot, a JSON array, or NDJSON) into validated snapshots.
#include "http/snapshot_codec.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <new>
#include <utility>

#include <simdjson.h>

#include "metrics/snapshot_draft.hpp"
#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

using metrics::raw_value;
using simdjson::dom::element;
using simdjson::dom::element_type;

/// A body whose parse grew this thread's parser beyond this many bytes of input gives the memory
/// back afterwards (the DOM needs about 15 bytes per input byte); smaller ones keep it for the
/// next request. A batch of 1000 snapshots is about 1 MB.
constexpr std::size_t retained_parser_capacity = 2u << 20;

/// Returns this thread's parser. Parsers are not thread-safe, and every HTTP I/O thread decodes.
/// It parses without recursion and refuses documents nested deeper than its limit,
/// simdjson::DEFAULT_MAX_DEPTH (1024 arrays and objects), as malformed; a batch needs 5.
simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

/// Lends this thread's parser for one body; gives its memory back afterwards if the body was big.
class parser_lease {
 public:
  parser_lease() : parser_(thread_parser()) {}
  parser_lease(const parser_lease&) = delete;
  parser_lease& operator=(const parser_lease&) = delete;
  ~parser_lease() {
    if (parser_.capacity() > retained_parser_capacity)
      parser_ = simdjson::dom::parser{};
  }

  simdjson::dom::parser& get() { return parser_; }

 private:
  simdjson::dom::parser& parser_;
};

/// Returns `value` as a T; called once its type is known to be T, so get() cannot fail.
template <class T>
T known(element value) {
  T out{};
  if (value.get(out) != simdjson::SUCCESS)
    return T{};
  return out;
}

raw_value raw_of(element value) {
  switch (value.type()) {
    case element_type::NULL_VALUE: return raw_value::of_kind(raw_value::kind::null);
    case element_type::BOOL: return raw_value::of_bool(known<bool>(value));
    case element_type::INT64: return raw_value::of_int(known<std::int64_t>(value));
    case element_type::UINT64: {
      // Only integers above int64's range come as UINT64; they read as numbers, not integers.
      auto u = known<std::uint64_t>(value);
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return raw_value::of_int(static_cast<std::int64_t>(u));
      return raw_value::of_real(static_cast<double>(u));
    }
    case element_type::DOUBLE: return raw_value::of_real(known<double>(value));
    case element_type::STRING:
      return raw_value::of_string(std::string{known<std::string_view>(value)});
    case element_type::ARRAY: return raw_value::of_kind(raw_value::kind::array);
    case element_type::OBJECT: return raw_value::of_kind(raw_value::kind::object);
  }
  return raw_value{};
}

/// A member that goes straight into a draft field.
template <class Draft>
struct plain_member {
  std::string_view name;
  raw_value Draft::*field;
};

constexpr std::array<plain_member<metrics::snapshot_draft>, 5> snapshot_members{{
    {"simulation_id", &metrics::snapshot_draft::simulation_id},
    {"timestamp", &metrics::snapshot_draft::timestamp},
    {"intersection_id", &metrics::snapshot_draft::intersection_id},
    {"mode", &metrics::snapshot_draft::mode},
    {"scenario", &metrics::snapshot_draft::scenario},
}};

constexpr std::array<plain_member<metrics::signal_draft>, 7> signal_members{{
    {"direction", &metrics::signal_draft::direction},
    {"emergency_vehicle_present", &metrics::signal_draft::emergency_vehicle_present},
    {"signal_status", &metrics::signal_draft::signal_status},
    {"signal_timer", &metrics::signal_draft::signal_timer},
    {"vehicles_crossed", &metrics::signal_draft::vehicles_crossed},
    {"avg_wait_time", &metrics::signal_draft::avg_wait_time},
    {"green_time_allocated", &metrics::signal_draft::green_time_allocated},
}};

constexpr std::array<plain_member<metrics::metrics_draft>, 7> metrics_members{{
    {"total_vehicles_passed", &metrics::metrics_draft::total_vehicles_passed},
    {"avg_wait_time_all_sides", &metrics::metrics_draft::avg_wait_time_all_sides},
    {"throughput", &metrics::metrics_draft::throughput},
    {"avg_speed", &metrics::metrics_draft::avg_speed},
    {"fuel_saved", &metrics::metrics_draft::fuel_saved},
    {"co2_saved", &metrics::metrics_draft::co2_saved},
    {"emergency_overrides", &metrics::metrics_draft::emergency_overrides},
}};

/// Stores `value` in the field named `key`, if `members` has it; returns whether it did.
/// Members are read in document order, so a repeated key keeps its last value.
template <class Draft, std::size_t N>
bool assign_plain(const std::array<plain_member<Draft>, N>& members, std::string_view key,
                  element value, Draft& draft) {
  for (const auto& member : members) {
    if (member.name == key) {
      draft.*member.field = raw_of(value);
      return true;
    }
  }
  return false;
}

/// Puts `counts` in the order the decoder has always given: sorted by class name, a repeated name
/// keeping its last value (the members of a JSON object as a std::map holds them).
void sort_like_an_object(std::vector<std::pair<std::string, raw_value>>& counts) {
  const auto before = [](const auto& a, const auto& b) {
    return a.first < b.first;
  };
  // Stable, so the last of a repeated name stays last. A few classes sort in place.
  if (counts.size() <= 16) {
    for (std::size_t i = 1; i < counts.size(); ++i)
      for (std::size_t j = i; j > 0 && before(counts[j], counts[j - 1]); --j)
        std::swap(counts[j], counts[j - 1]);
  } else {
    std::stable_sort(counts.begin(), counts.end(), before);
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i + 1 < counts.size() && counts[i + 1].first == counts[i].first)
      continue;
    if (kept != i)
      counts[kept] = std::move(counts[i]);
    ++kept;
  }
  counts.erase(counts.begin() + static_cast<std::ptrdiff_t>(kept), counts.end());
}

/// Fills `draft`, a new element of `signals`, from `item`.
void fill_signal_draft(element item, metrics::signal_draft& draft) {
  draft.shape = raw_of(item);
  simdjson::dom::object members;
  if (item.get(members) != simdjson::SUCCESS)
    return;
  for (auto [key, value] : members) {
    if (assign_plain(signal_members, key, value, draft) || key != "vehicle_counts")
      continue;
    draft.vehicle_counts_shape = raw_of(value);
    draft.vehicle_counts.clear();
    simdjson::dom::object counts;
    if (value.get(counts) != simdjson::SUCCESS)
      continue;
    draft.vehicle_counts.reserve(counts.size());
    for (auto [name, count] : counts)
      draft.vehicle_counts.emplace_back(std::string{name}, raw_of(count));
    sort_like_an_object(draft.vehicle_counts);
  }
}

/// A decoded snapshot, and how many elements its `signals` array had. Past max_signals + 1 the
/// draft keeps only the first max_signals + 1, enough for the validator to refuse the count: a
/// signal draft is about half a kilobyte, so a body of four million tiny items ("0,") would
/// otherwise have cost two gigabytes.
struct counted_draft {
  metrics::snapshot_draft draft;
  std::size_t signals_given = 0;
};

counted_draft draft_of(element doc) {
  counted_draft out;
  auto& draft = out.draft;
  draft.shape = raw_of(doc);
  simdjson::dom::object members;
  if (doc.get(members) != simdjson::SUCCESS)
    return out;
  for (auto [key, value] : members) {
    if (assign_plain(snapshot_members, key, value, draft))
      continue;
    if (key == "signals") {
      draft.signals_shape = raw_of(value);
      draft.signals.clear();
      out.signals_given = 0;
      simdjson::dom::array items;
      if (value.get(items) == simdjson::SUCCESS) {
        // size() saturates at 2^24 - 1, so the count is taken by walking the items.
        constexpr std::size_t kept = metrics::max_signals + 1;
        draft.signals.reserve(std::min<std::size_t>(items.size(), kept));
        for (element item : items) {
          if (out.signals_given++ < kept)
            fill_signal_draft(item, draft.signals.emplace_back());
        }
      }
    } else if (key == "metrics") {
      draft.metrics_shape = raw_of(value);
      draft.metrics = {};
      simdjson::dom::object numbers;
      if (value.get(numbers) == simdjson::SUCCESS)
        for (auto [name, number] : numbers)
          assign_plain(metrics_members, name, number, draft.metrics);
    }
  }
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// Returns whether the integer literal `digits` (no sign, no leading zeros) fits in int64 when
/// `negative`, else in uint64.
bool fits_64_bits(std::string_view digits, bool negative) {
  const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
}

/// Returns `text` with ".0" after each integer literal too big for 64 bits, or nothing when it
/// has none. Such integers always read as numbers (doubles), which simdjson refuses to do.
std::optional<std::string> spell_big_integers_as_reals(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && !is_digit(c))
      continue;
    // A number: the integer part, then any fraction and exponent, which make it a real anyway.
    const std::size_t first_digit = i + (c == '-' ? 1 : 0);
    std::size_t end = first_digit;
    while (end < text.size() && is_digit(text[end]))
      ++end;
    const bool integer =
        end == text.size() || (text[end] != '.' && text[end] != 'e' && text[end] != 'E');
    if (integer && !fits_64_bits(text.substr(first_digit, end - first_digit), c == '-')) {
      out.append(text.substr(copied, end - copied));
      out += ".0";
      copied = end;
    }
    while (end < text.size() && (is_digit(text[end]) || text[end] == '.' || text[end] == 'e' ||
                                 text[end] == 'E' || text[end] == '+' || text[end] == '-'))
      ++end;
    i = end - 1;
  }
  if (copied == 0)
    return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

/// Parses JSON text with this thread's parser into `doc`; on failure fills `out` as malformed,
/// naming `where`, and returns false. `doc` lives until the parser's next parse.
bool parse(simdjson::dom::parser& parser, std::string_view text, element& doc, decoded_body& out,
           std::string_view where) {
  // A UTF-8 byte order mark opening the text is skipped, as it always was.
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (text.substr(0, bom.size()) == bom)
    text.remove_prefix(bom.size());
  // The parser copies the text into its own padded buffer, kept for the next body.
  auto error = parser.parse(text.data(), text.size(), true).get(doc);
  if (error == simdjson::NUMBER_ERROR) {
    if (auto respelt = spell_big_integers_as_reals(text))
      error = parser.parse(respelt->data(), respelt->size(), true).get(doc);
  }
  if (error == simdjson::MEMALLOC)
    throw std::bad_alloc{};
  if (!error)
    return true;
  out.result = decoded_body::outcome::malformed;
  out.message = "the body is not valid JSON";
  out.details.push_back(
      decode_detail{std::string{where}, simdjson::error_message(error), std::nullopt});
  return false;
}

/// Violations listed per snapshot at most; a longer list ends with one detail that counts the
/// rest, so every bad snapshot is still named. Without a bound, a batch of 10,000 snapshots of
/// 16 empty signals each (a 620 KB body) gave 1.3 million details: a 108 MB answer that held an
/// I/O thread for 5 s and a gigabyte of memory.
constexpr std::size_t max_details_per_snapshot = 10;

/// Validates the snapshots of a body one by one as they are decoded, each while its draft is
/// still in cache, and gives the answer: ok only if every one is valid.
class body_checker {
 public:
  /// Batch items (`indexed`) have paths and details that name their index.
  explicit body_checker(bool indexed) : indexed_(indexed) {}

  void check(const counted_draft& counted) {
    const auto& draft = counted.draft;
    const std::size_t i = count_++;
    violations_.clear();
    const std::string prefix = indexed_ ? "[" + std::to_string(i) + "]" : "";
    auto snapshot = metrics::validate_snapshot(draft, prefix, violations_);
    if (counted.signals_given > draft.signals.size()) {
      // The draft kept only the first signals: name the count the body really had.
      const std::string path = prefix.empty() ? "signals" : prefix + ".signals";
      for (auto& v : violations_)
        if (v.path == path)
          v.message = "must hold 1 to " + std::to_string(metrics::max_signals) + " signals, got " +
                      std::to_string(counted.signals_given);
    }
    const auto index = indexed_ ? std::optional<std::size_t>{i} : std::nullopt;
    const std::size_t listed = std::min(violations_.size(), max_details_per_snapshot);
    for (std::size_t k = 0; k < listed; ++k)
      out_.details.push_back(
          decode_detail{std::move(violations_[k].path), std::move(violations_[k].message), index});
    if (violations_.size() > listed)
      out_.details.push_back(decode_detail{prefix.empty() ? "$" : prefix,
                                           "and " + std::to_string(violations_.size() - listed) +
                                               " more violations in this snapshot",
                                           index});
    if (snapshot && out_.details.empty())
      out_.snapshots.push_back(std::move(*snapshot));
  }

  std::size_t count() const { return count_; }

  void reserve(std::size_t n) { out_.snapshots.reserve(n); }

  decoded_body finish() && {
    if (!out_.details.empty()) {
      out_.result = decoded_body::outcome::invalid;
      out_.message =
          indexed_ ? "the batch is invalid; nothing was stored" : "the snapshot is invalid";
      out_.snapshots.clear();
    }
    return std::move(out_);
  }

 private:
  bool indexed_;
  std::size_t count_ = 0;
  std::vector<metrics::violation> violations_;
  decoded_body out_;
};

/// Returns the answer to a batch of more than max_batch_snapshots.
decoded_body too_many() {
  decoded_body out;
  out.result = decoded_body::outcome::too_many;
  out.message = "a batch holds at most " + std::to_string(max_batch_snapshots) + " snapshots";
  return out;
}

} // namespace

decoded_body decode_single(std::string_view body) {
  decoded_body out;
  parser_lease parser;
  element doc;
  if (!parse(parser.get(), body, doc, out, "$"))
    return out;
  body_checker checker(false);
  checker.check(draft_of(doc));
  return std::move(checker).finish();
}

decoded_body decode_batch(std::string_view body, bool ndjson) {
  decoded_body out;
  parser_lease parser;
  // Items are validated as they come; a malformed line or too many lines later still decide the
  // answer alone, as they did when every line was parsed before any was validated.
  body_checker checker(true);
  if (ndjson) {
    std::size_t line = 0;
    while (!body.empty()) {
      auto end = body.find('\n');
      auto text = body.substr(0, end);
      body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string_view::npos)
        continue;
      element doc;
      if (!parse(parser.get(), text, doc, out, "line " + std::to_string(line)))
        return out;
      if (checker.count() == max_batch_snapshots)
        return too_many();
      checker.check(draft_of(doc));
    }
  } else {
    element doc;
    if (!parse(parser.get(), body, doc, out, "$"))
      return out;
    simdjson::dom::array items;
    if (doc.get(items) != simdjson::SUCCESS) {
      out.result = decoded_body::outcome::invalid;
      out.message = "a batch must be a JSON array of snapshots";
      out.details.push_back(decode_detail{"$", "must be a JSON array", std::nullopt});
      return out;
    }
    // size() saturates at 2^24 - 1, far above the limit.
    if (items.size() > max_batch_snapshots)
      return too_many();
    checker.reserve(items.size());
    for (element item : items)
      checker.check(draft_of(item));
  }
  if (checker.count() == 0) {
    out.result = decoded_body::outcome::invalid;
    out.message = "the batch is empty";
    out.details.push_back(decode_detail{"$", "must hold at least one snapshot", std::nullopt});
    return out;
  }
  return std::move(checker).finish();
}

} // namespace traffic::http
