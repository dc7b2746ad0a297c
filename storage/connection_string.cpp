// Adds our connect timeout and TCP keepalive settings to a libpq connection string or URI.
#include "storage/connection_string.hpp"

#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace traffic::storage {

namespace {

/// Keepalives make a dead peer (a pulled cable, a crashed host) surface as a broken connection
/// after about 5 + 2 * 2 = 9 seconds of silence instead of the kernel's two hours, while the
/// connection waits for an answer. tcp_user_timeout does the same while it sends: data left
/// unacknowledged for 9 s ends the connection instead of about 15 minutes of retransmissions.
/// Neither fires for a peer whose kernel still acknowledges (a stopped postmaster): the write
/// queue's probe covers that.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> keepalive_options{{
    {"keepalives", "1"},
    {"keepalives_idle", "5"},
    {"keepalives_interval", "2"},
    {"keepalives_count", "2"},
    {"tcp_user_timeout", "9000"},
}};

bool is_uri(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

/// Returns true when the query part of a URI ("a=1&b=2", without '?') sets `key`.
bool uri_has_key(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    auto name = param.substr(0, param.find('='));
    if (name == key)
      return true;
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

/// Returns true when a "key=value key='quoted value'" string sets `key`.
bool keyword_string_has_key(std::string_view text, std::string_view key) {
  std::size_t i = 0;
  const auto n = text.size();
  while (i < n) {
    while (i < n && is_space(text[i]))
      ++i;
    auto name_begin = i;
    while (i < n && text[i] != '=' && !is_space(text[i]))
      ++i;
    auto name = text.substr(name_begin, i - name_begin);
    while (i < n && is_space(text[i]))
      ++i;
    if (i >= n || text[i] != '=')
      return false; // malformed: libpq will report it when connecting
    ++i;
    while (i < n && is_space(text[i]))
      ++i;
    if (i < n && text[i] == '\'') {
      // A quoted value may hold spaces and backslash escapes.
      for (++i; i < n && text[i] != '\''; ++i)
        if (text[i] == '\\')
          ++i;
      ++i;
    } else {
      while (i < n && !is_space(text[i]))
        ++i;
    }
    if (name == key)
      return true;
  }
  return false;
}

} // namespace

std::string connection_string(std::string_view url, std::chrono::seconds connect_timeout) {
  std::vector<std::pair<std::string_view, std::string>> wanted;
  // connect_timeout=0 means "wait forever" to libpq, so a non-positive value adds nothing.
  if (connect_timeout.count() > 0)
    wanted.emplace_back("connect_timeout", std::to_string(connect_timeout.count()));
  for (const auto& [key, value] : keepalive_options)
    wanted.emplace_back(key, std::string{value});

  std::string out{url};
  if (is_uri(url)) {
    auto question = url.find('?');
    auto query = question == std::string_view::npos ? std::string_view{} : url.substr(question + 1);
    bool need_separator =
        question != std::string_view::npos && !query.empty() && query.back() != '&';
    if (question == std::string_view::npos)
      out += '?';
    for (const auto& [key, value] : wanted) {
      if (uri_has_key(query, key))
        continue;
      if (need_separator)
        out += '&';
      out.append(key).append("=").append(value);
      need_separator = true;
    }
    if (out.back() == '?')
      out.pop_back();
  } else {
    for (const auto& [key, value] : wanted) {
      if (keyword_string_has_key(url, key))
        continue;
      if (!out.empty() && !is_space(out.back()))
        out += ' ';
      out.append(key).append("=").append(value);
    }
  }
  return out;
}

} // namespace traffic::storage
