// Which files under WEB_DIR the server serves, and at which URL paths.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/static_assets.hpp"

namespace traffic::http {

/// Reads the docs page and the front-end libraries (installed by the build scripts with npm
/// into `web_dir`/node_modules) into memory, plus the embedded OpenAPI document. A file that
/// cannot be read is left out and named in `missing`: the API works without its pages.
std::shared_ptr<const static_assets> load_web_assets(const std::string& web_dir,
                                                     std::vector<std::string>& missing);

} // namespace traffic::http
