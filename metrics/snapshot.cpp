// Names of the snapshot enums: canonical spellings out, tolerant parsing in.
#include "metrics/snapshot.hpp"

#include <array>
#include <cstddef>

namespace traffic::metrics {

namespace {

/// Returns `c` in lower case when it is an ASCII letter (no locale involved).
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Returns true when `a` and `b` are equal ignoring ASCII case.
bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i]))
      return false;
  return true;
}

struct direction_name {
  direction value;
  std::string_view canonical;
  std::string_view compact; ///< the spelling without underscore ("northeast")
};

constexpr std::array<direction_name, 8> direction_names{{
    {direction::north, "north", "north"},
    {direction::north_east, "north_east", "northeast"},
    {direction::east, "east", "east"},
    {direction::south_east, "south_east", "southeast"},
    {direction::south, "south", "south"},
    {direction::south_west, "south_west", "southwest"},
    {direction::west, "west", "west"},
    {direction::north_west, "north_west", "northwest"},
}};

constexpr std::array<std::string_view, 3> status_names{"GREEN", "YELLOW", "RED"};

constexpr std::array<std::string_view, 2> mode_names{"baseline", "ai"};

/// Returns the index of `text` in `names` ignoring case, or nothing.
template <std::size_t N>
std::optional<std::size_t> find_name(const std::array<std::string_view, N>& names,
                                     std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (equals_ignore_case(names[i], text))
      return i;
  return std::nullopt;
}

} // namespace

// An out-of-range enum value (a cast from a bad integer) gives "" rather than undefined behaviour.

std::string_view to_string(direction d) {
  auto i = static_cast<std::size_t>(d);
  return i < direction_names.size() ? direction_names[i].canonical : std::string_view{};
}

std::string_view to_string(signal_status s) {
  auto i = static_cast<std::size_t>(s);
  return i < status_names.size() ? status_names[i] : std::string_view{};
}

std::string_view to_string(run_mode m) {
  auto i = static_cast<std::size_t>(m);
  return i < mode_names.size() ? mode_names[i] : std::string_view{};
}

std::optional<direction> parse_direction(std::string_view text) {
  for (const auto& name : direction_names)
    if (equals_ignore_case(name.canonical, text) || equals_ignore_case(name.compact, text))
      return name.value;
  return std::nullopt;
}

std::optional<signal_status> parse_signal_status(std::string_view text) {
  if (auto i = find_name(status_names, text))
    return static_cast<signal_status>(*i);
  return std::nullopt;
}

std::optional<run_mode> parse_run_mode(std::string_view text) {
  if (auto i = find_name(mode_names, text))
    return static_cast<run_mode>(*i);
  return std::nullopt;
}

} // namespace traffic::metrics
