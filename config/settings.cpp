// The server's settings, read from the environment, a .env file and command-line flags.
#include "config/settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <optional>
#include <string_view>

namespace traffic::config {

namespace {

/// Applies one textual value to the settings; returns what the key accepts when the value is
/// bad, or nothing when it was applied.
using apply_fn = std::function<std::optional<std::string>(std::string_view, settings&)>;

struct known_key {
  const char* name;
  apply_fn apply;
};

std::optional<long long> to_integer(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

template <class Setter>
apply_fn integer_in(long long min, long long max, Setter set) {
  return [=](std::string_view text, settings& s) -> std::optional<std::string> {
    auto value = to_integer(text);
    if (!value || *value < min || *value > max)
      return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    set(s, *value);
    return std::nullopt;
  };
}

template <class Setter>
apply_fn one_of(std::vector<std::string> choices, Setter set) {
  return [=](std::string_view text, settings& s) -> std::optional<std::string> {
    std::string lower{text};
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(choices.begin(), choices.end(), lower) == choices.end()) {
      std::string accepted = "one of";
      for (const auto& c : choices)
        accepted += " " + c;
      return accepted;
    }
    set(s, lower);
    return std::nullopt;
  };
}

template <class Setter>
apply_fn non_empty_text(Setter set) {
  return [=](std::string_view text, settings& s) -> std::optional<std::string> {
    if (text.empty())
      return std::string{"a non-empty value"};
    set(s, std::string{text});
    return std::nullopt;
  };
}

/// A secret: empty (feature off) or at least min_admin_token_length printable characters
/// without spaces, so it fits an Authorization header unchanged.
template <class Setter>
apply_fn token_text(Setter set) {
  return [=](std::string_view text, settings& s) -> std::optional<std::string> {
    bool printable =
        std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
    if (!text.empty() && (text.size() < min_admin_token_length || !printable))
      return "empty, or at least " + std::to_string(min_admin_token_length) +
             " printable characters without spaces";
    set(s, std::string{text});
    return std::nullopt;
  };
}

template <class Setter>
apply_fn boolean(Setter set) {
  return [=](std::string_view text, settings& s) -> std::optional<std::string> {
    std::string lower{text};
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "true" || lower == "1" || lower == "yes" || lower == "on")
      set(s, true);
    else if (lower == "false" || lower == "0" || lower == "no" || lower == "off")
      set(s, false);
    else
      return std::string{"true or false"};
    return std::nullopt;
  };
}

apply_fn api_keys_text() {
  return [](std::string_view text, settings& s) -> std::optional<std::string> {
    auto parsed = parse_api_keys(text, "API_KEYS");
    if (!parsed.errors.empty()) {
      std::string all;
      for (const auto& e : parsed.errors)
        all += (all.empty() ? "" : "; ") + e;
      return "name:scopes:token entries separated by ',' (" + all + ")";
    }
    for (auto& key : parsed.keys)
      s.api_keys.push_back(std::move(key));
    return std::nullopt;
  };
}

/// "*", or origins such as https://ops.example.org:8443 (scheme and host, no path).
bool is_origin(std::string_view text) {
  auto scheme_end = text.find("://");
  if (text == "*")
    return true;
  if (scheme_end == std::string_view::npos)
    return false;
  auto scheme = text.substr(0, scheme_end);
  auto host = text.substr(scheme_end + 3);
  return (scheme == "http" || scheme == "https") && !host.empty() &&
         host.find_first_of("/?# ") == std::string_view::npos;
}

apply_fn origin_list() {
  return [](std::string_view text, settings& s) -> std::optional<std::string> {
    std::vector<std::string> origins;
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = std::min(text.find(',', start), text.size());
      auto origin = text.substr(start, end - start);
      while (!origin.empty() && origin.front() == ' ')
        origin.remove_prefix(1);
      while (!origin.empty() && origin.back() == ' ')
        origin.remove_suffix(1);
      if (!origin.empty()) {
        if (!is_origin(origin))
          return std::string{"empty, '*' or origins like https://host:port separated by ','"};
        origins.emplace_back(origin);
      }
      start = end + 1;
    }
    s.cors_allowed_origins = std::move(origins);
    return std::nullopt;
  };
}

const std::vector<known_key>& known_keys() {
  using ms = std::chrono::milliseconds;
  using sec = std::chrono::seconds;
  static const std::vector<known_key> keys{
      {"DATABASE_URL", non_empty_text([](settings& s, std::string v) { s.database_url = v; })},
      {"HTTP_HOST", non_empty_text([](settings& s, std::string v) { s.http_host = v; })},
      {"HTTP_PORT",
       integer_in(1, 65535, [](settings& s, long long v) { s.http_port = std::uint16_t(v); })},
      {"HTTP_THREADS",
       integer_in(1, 64, [](settings& s, long long v) { s.http_threads = int(v); })},
      {"CAF_THREADS", integer_in(1, 64, [](settings& s, long long v) { s.caf_threads = int(v); })},
      {"LOG_LEVEL", one_of({"trace", "debug", "info", "warn", "error", "critical", "off"},
                           [](settings& s, std::string v) { s.log_level = v; })},
      {"LOG_FORMAT", one_of({"text", "json"},
                            [](settings& s, std::string v) {
                              s.log_style = v == "json" ? log_format::json : log_format::text;
                            })},
      {"ENVIRONMENT", one_of({"development", "test", "staging", "production"},
                             [](settings& s, std::string v) { s.environment = v; })},
      {"WRITER_POOL_SIZE",
       integer_in(1, 64, [](settings& s, long long v) { s.writer_pool_size = int(v); })},
      {"WRITER_BATCH_ROWS",
       integer_in(1, 100000, [](settings& s, long long v) { s.writer_batch_rows = int(v); })},
      {"WRITER_BATCH_DELAY_MS",
       integer_in(0, 10000, [](settings& s, long long v) { s.writer_batch_delay = ms{v}; })},
      {"WRITER_QUEUE_ROWS",
       integer_in(1, 10000000, [](settings& s, long long v) { s.writer_queue_rows = int(v); })},
      {"ANALYTICS_POOL_SIZE",
       integer_in(1, 64, [](settings& s, long long v) { s.analytics_pool_size = int(v); })},
      {"BODY_LIMIT_BYTES", integer_in(1024, 1LL << 30,
                                      [](settings& s, long long v) {
                                        s.body_limit_bytes = static_cast<std::size_t>(v);
                                      })},
      {"HTTP_HEADER_TIMEOUT_MS",
       integer_in(100, 3600000, [](settings& s, long long v) { s.http_header_timeout = ms{v}; })},
      {"HTTP_BODY_TIMEOUT_MS",
       integer_in(100, 3600000, [](settings& s, long long v) { s.http_body_timeout = ms{v}; })},
      {"HTTP_IDLE_TIMEOUT_MS",
       integer_in(100, 3600000, [](settings& s, long long v) { s.http_idle_timeout = ms{v}; })},
      {"HTTP_MAX_CONNECTIONS",
       integer_in(1, 1000000, [](settings& s, long long v) { s.http_max_connections = int(v); })},
      {"HTTP_MAX_INFLIGHT_BODY_BYTES", integer_in(1024, 1LL << 40,
                                                  [](settings& s, long long v) {
                                                    s.http_max_inflight_body_bytes =
                                                        static_cast<std::size_t>(v);
                                                  })},
      {"REQUEST_TIMEOUT_MS",
       integer_in(10, 600000, [](settings& s, long long v) { s.request_timeout = ms{v}; })},
      {"DB_STATEMENT_TIMEOUT_MS",
       integer_in(10, 600000, [](settings& s, long long v) { s.db_statement_timeout = ms{v}; })},
      {"DB_CONNECT_TIMEOUT_S",
       integer_in(1, 600, [](settings& s, long long v) { s.db_connect_timeout = sec{v}; })},
      {"DB_PROBE_TIMEOUT_MS",
       integer_in(50, 600000, [](settings& s, long long v) { s.db_probe_timeout = ms{v}; })},
      {"SIMULATION_IDLE_SECONDS",
       integer_in(1, 86400 * 7, [](settings& s, long long v) { s.simulation_idle = sec{v}; })},
      {"CACHE_TTL_SECONDS",
       integer_in(0, 86400, [](settings& s, long long v) { s.cache_ttl = sec{v}; })},
      {"CACHE_MAX_BYTES", integer_in(0, 1LL << 36,
                                     [](settings& s, long long v) {
                                       s.cache_max_bytes = static_cast<std::size_t>(v);
                                     })},
      {"ADMIN_TOKEN", token_text([](settings& s, std::string v) { s.admin_token = std::move(v); })},
      {"API_KEYS", api_keys_text()},
      {"API_KEYS_FILE", non_empty_text([](settings& s, std::string v) { s.api_keys_file = v; })},
      {"AUTH_REQUIRED", boolean([](settings& s, bool v) { s.auth_required = v; })},
      {"CORS_ALLOWED_ORIGINS", origin_list()},
      {"RETENTION_DAYS",
       integer_in(0, 36500, [](settings& s, long long v) { s.retention_days = int(v); })},
      {"RETENTION_CHECK_SECONDS",
       integer_in(1, 86400, [](settings& s, long long v) { s.retention_check = sec{v}; })},
      {"WEB_DIR", non_empty_text([](settings& s, std::string v) { s.web_dir = v; })},
  };
  return keys;
}

bool is_known(std::string_view key) {
  const auto& keys = known_keys();
  return std::any_of(keys.begin(), keys.end(), [&](const known_key& k) { return k.name == key; });
}

/// "--http-port" -> "HTTP_PORT".
std::string flag_to_key(std::string_view flag) {
  std::string key;
  for (char c : flag)
    key += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

} // namespace

std::vector<std::string> merge_sources(const value_map& dotenv, const value_map& environment,
                                       const std::vector<std::string>& flags, value_map& merged) {
  std::vector<std::string> errors;
  merged = dotenv;
  for (const auto& [key, value] : environment)
    merged[key] = value;
  for (const auto& flag : flags) {
    auto eq = flag.find('=');
    if (flag.rfind("--", 0) != 0 || eq == std::string::npos) {
      errors.push_back(flag + ": expected --name=value, e.g. --http-port=9000");
      continue;
    }
    auto key = flag_to_key(std::string_view{flag}.substr(2, eq - 2));
    if (!is_known(key)) {
      errors.push_back(flag + ": unknown option");
      continue;
    }
    merged[key] = flag.substr(eq + 1);
  }
  return errors;
}

settings_result parse_settings(const value_map& values) {
  settings_result result;
  for (const auto& key : known_keys()) {
    auto it = values.find(key.name);
    if (it == values.end())
      continue;
    // A secret is never echoed: error lines end up in logs.
    bool secret =
        std::string_view{key.name} == "ADMIN_TOKEN" || std::string_view{key.name} == "API_KEYS";
    if (auto accepted = key.apply(it->second, result.value))
      result.errors.push_back(std::string{key.name} + "='" + (secret ? "(hidden)" : it->second) +
                              "': expected " + *accepted);
  }
  auto& s = result.value;
  bool production = s.environment == "production";
  if (values.find("AUTH_REQUIRED") == values.end())
    s.auth_required = production;
  if (values.find("CORS_ALLOWED_ORIGINS") == values.end() && !production)
    s.cors_allowed_origins = {"*"};
  if (!s.admin_token.empty()) {
    bool taken = std::any_of(s.api_keys.begin(), s.api_keys.end(),
                             [](const api_key_spec& k) { return k.name == "admin-token"; });
    if (taken)
      result.errors.push_back("API_KEYS: the name 'admin-token' is ADMIN_TOKEN's");
    else
      s.api_keys.push_back({"admin-token", scope_ingest | scope_read | scope_admin, s.admin_token});
  }
  if (values.find("DATABASE_URL") == values.end())
    result.errors.push_back("DATABASE_URL is not set (scripts/run starts a local database and "
                            "sets it; or export DATABASE_URL=postgresql://user@host:port/db)");
  return result;
}

std::vector<std::string> add_key_file(settings& s, const api_key_list& from_file) {
  std::vector<std::string> errors = from_file.errors;
  for (const auto& key : from_file.keys) {
    bool taken = std::any_of(s.api_keys.begin(), s.api_keys.end(), [&](const api_key_spec& k) {
      return k.name == key.name || k.token == key.token;
    });
    if (taken)
      errors.push_back("API_KEYS_FILE key '" + key.name +
                       "': its name or token is already configured");
    else
      s.api_keys.push_back(key);
  }
  return errors;
}

std::vector<std::string> check_access(const settings& s) {
  if (s.auth_required && s.api_keys.empty())
    return {"AUTH_REQUIRED is on (the default when ENVIRONMENT=production) but no key is "
            "configured: set API_KEYS=name:scopes:token (scopes ingest+read+admin), "
            "API_KEYS_FILE or ADMIN_TOKEN, or AUTH_REQUIRED=false"};
  return {};
}

} // namespace traffic::config
