// The answer a route produces, before the session adds the common headers.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace traffic::http {

/// A JSON answer: status, body and any route-specific headers (e.g. Retry-After, Allow).
struct response {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Delivers a route's answer to its session. Callable from any thread, exactly once.
using respond_fn = std::function<void(response)>;

} // namespace traffic::http
