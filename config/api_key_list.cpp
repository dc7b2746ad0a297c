// Parses API keys ("name:scopes:token") from API_KEYS or the lines of API_KEYS_FILE.
#include "config/api_key_list.hpp"

#include <algorithm>
#include <set>

namespace traffic::config {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos)
      return parts;
    start = end + 1;
  }
}

bool is_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

/// Tokens go into an Authorization header unchanged: printable ASCII without spaces.
bool is_token(std::string_view token) {
  return token.size() >= min_token_length &&
         std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 127; });
}

unsigned scope_bit_of(std::string_view name) {
  if (name == "ingest")
    return scope_ingest;
  if (name == "read")
    return scope_read;
  if (name == "admin")
    return scope_admin;
  return 0;
}

} // namespace

api_key_list parse_api_keys(std::string_view text, std::string_view source) {
  api_key_list result;
  std::set<std::string, std::less<>> names;
  std::set<std::string, std::less<>> tokens;
  int position = 0;
  for (auto line : split(text, '\n')) {
    for (auto entry : split(line, ',')) {
      entry = trim(entry);
      if (entry.empty() || entry.front() == '#')
        continue;
      ++position;
      // The token may itself hold ':', so only the first two separate fields.
      auto first = entry.find(':');
      auto second = first == std::string_view::npos ? first : entry.find(':', first + 1);
      auto where = std::string{source} + " entry " + std::to_string(position);
      if (second == std::string_view::npos) {
        result.errors.push_back(where + ": expected name:scopes:token");
        continue;
      }
      auto name = entry.substr(0, first);
      auto scopes_text = entry.substr(first + 1, second - first - 1);
      auto token = entry.substr(second + 1);
      if (!is_name(name)) {
        result.errors.push_back(where + ": the name must be 1 to 64 of A-Z a-z 0-9 - _ .");
        continue;
      }
      where += " ('" + std::string{name} + "')";
      unsigned scopes = 0;
      bool scopes_ok = true;
      for (auto scope : split(scopes_text, '+')) {
        auto bit = scope_bit_of(trim(scope));
        scopes_ok = scopes_ok && bit != 0;
        scopes |= bit;
      }
      if (!scopes_ok) {
        result.errors.push_back(where + ": scopes are ingest, read and admin, joined by '+'");
        continue;
      }
      if (!is_token(token)) {
        result.errors.push_back(where + ": the token must be at least " +
                                std::to_string(min_token_length) +
                                " printable characters without spaces");
        continue;
      }
      if (!names.insert(std::string{name}).second) {
        result.errors.push_back(where + ": the name is used twice");
        continue;
      }
      if (!tokens.insert(std::string{token}).second) {
        result.errors.push_back(where + ": the token is the same as an earlier key's");
        continue;
      }
      result.keys.push_back({std::string{name}, scopes, std::string{token}});
    }
  }
  return result;
}

std::string scope_names(unsigned scopes) {
  std::string names;
  for (auto [bit, name] : {std::pair{scope_ingest, "ingest"}, std::pair{scope_read, "read"},
                           std::pair{scope_admin, "admin"}})
    if (scopes & bit)
      names += (names.empty() ? "" : "+") + std::string{name};
  return names;
}

} // namespace traffic::config
