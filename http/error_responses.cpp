// Error answers in the one error shape, and the one place where actor failures become statuses.
#include "http/error_responses.hpp"

#include <caf/error.hpp>
#include <caf/sec.hpp>

#include "actors/messages.hpp"
#include "http/json_responses.hpp"

namespace traffic::http {

response error_response(unsigned status, std::string_view code, std::string_view message,
                        std::string_view request_id, const std::vector<decode_detail>& details) {
  return response{status, error_body(code, message, details, request_id), {}};
}

response failure_response(const caf::error& e, std::string_view request_id) {
  if (auto f = actors::as_failure(e)) {
    switch (*f) {
      case actors::failure::queue_full:
      case actors::failure::database_unavailable:
      case actors::failure::shutting_down: {
        auto r = error_response(503, "service_unavailable", actors::describe(*f), request_id);
        r.headers.emplace_back("Retry-After", "1");
        return r;
      }
      case actors::failure::not_found:
        return error_response(404, "not_found", "no such simulation", request_id);
      case actors::failure::storage_failed:
        return error_response(500, "internal_error", actors::describe(*f), request_id);
    }
  }
  if (e == caf::sec::request_timeout)
    return error_response(504, "timeout", "the server did not answer in time", request_id);
  return error_response(500, "internal_error", "unexpected failure", request_id);
}

} // namespace traffic::http
