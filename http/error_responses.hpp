// Error answers in the one error shape, and the one place where actor failures become statuses.
#pragma once

#include <string_view>
#include <vector>

#include <caf/fwd.hpp>

#include "http/response.hpp"
#include "http/snapshot_codec.hpp"

namespace traffic::http {

/// Returns an answer with `status` and the error body {"error":{code,message,details}}.
response error_response(unsigned status, std::string_view code, std::string_view message,
                        std::string_view request_id,
                        const std::vector<decode_detail>& details = {});

/// Maps an actor's error: queue full, database down or shutting down -> 503 with Retry-After;
/// not found -> 404; a timeout -> 504; anything else -> 500.
response failure_response(const caf::error& e, std::string_view request_id);

} // namespace traffic::http
