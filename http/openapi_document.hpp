// The OpenAPI 3 document of the API (http/openapi.json, embedded at build time).
#pragma once

#include <string_view>

namespace traffic::http {

/// Returns the OpenAPI 3.0.3 document describing every route, as JSON text. The text is
/// http/openapi.json as it was at build time (cmake/EmbedText.cmake), valid for the life of
/// the program; the server sends it as is at GET /openapi.json.
std::string_view openapi_document();

} // namespace traffic::http
