// The answer a route produces, before the session adds the common headers.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace traffic::http {

/// Takes the next event of a stream (its wire text), from any thread; a null event ends the
/// stream. Returns false once the connection is gone, so the producer can stop.
using event_sink = std::function<bool(std::shared_ptr<const std::string>)>;

/// Starts a stream: called once by the session with the sink it feeds to the client.
using event_source = std::function<void(event_sink)>;

/// An answer: status, body, any route-specific headers (e.g. Retry-After, Allow) and the
/// body's media type. With `events` set it is a Server-Sent Events stream: the session sends
/// the headers and `body` (e.g. a retry hint), then every event until either side closes.
struct response {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
  event_source events{};
};

/// Delivers a route's answer to its session. Callable from any thread, exactly once.
using respond_fn = std::function<void(response)>;

} // namespace traffic::http
