// Parses the text of a .env file.
#include "config/dotenv.hpp"

#include <cctype>

namespace traffic::config {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool is_key(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front())))
    return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front())
    return value.substr(1, value.size() - 2);
  return value;
}

} // namespace

dotenv_result parse_dotenv(std::string_view text) {
  dotenv_result result;
  std::size_t line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#')
      continue;
    if (line.substr(0, 7) == "export ")
      line = trim(line.substr(7));
    auto eq = line.find('=');
    auto key = eq == std::string_view::npos ? line : trim(line.substr(0, eq));
    if (eq == std::string_view::npos || !is_key(key)) {
      result.errors.push_back("line " + std::to_string(line_number) + ": expected KEY=VALUE");
      continue;
    }
    result.values[std::string{key}] = std::string{unquote(trim(line.substr(eq + 1)))};
  }
  return result;
}

} // namespace traffic::config
