// Which files under WEB_DIR the server serves, and at which URL paths.
#include "http/web_assets.hpp"

#include <utility>

#include "http/openapi_document.hpp"

namespace traffic::http {

namespace {

/// URL path, then the file under WEB_DIR.
const std::vector<std::pair<std::string, std::string>>& web_files() {
  static const std::vector<std::pair<std::string, std::string>> files{
      {"/docs", "docs/index.html"},
      {"/docs/swagger-init.js", "docs/swagger-init.js"},
      {"/docs/swagger-ui.css", "node_modules/swagger-ui-dist/swagger-ui.css"},
      {"/docs/swagger-ui-bundle.js", "node_modules/swagger-ui-dist/swagger-ui-bundle.js"},
      {"/docs/favicon-32x32.png", "node_modules/swagger-ui-dist/favicon-32x32.png"},
      // The live dashboard: the same page at "/" and "/dashboard"; its files under /dashboard/.
      {"/", "dashboard/index.html"},
      {"/dashboard", "dashboard/index.html"},
      {"/dashboard/app.js", "dashboard/app.js"},
      {"/dashboard/api.js", "dashboard/api.js"},
      {"/dashboard/charts.js", "dashboard/charts.js"},
      {"/dashboard/format.js", "dashboard/format.js"},
      {"/dashboard/style.css", "dashboard/style.css"},
      {"/dashboard/favicon.svg", "dashboard/favicon.svg"},
      {"/dashboard/chart.umd.js", "node_modules/chart.js/dist/chart.umd.js"},
  };
  return files;
}

} // namespace

std::shared_ptr<const static_assets> load_web_assets(const std::string& web_dir,
                                                     std::vector<std::string>& missing) {
  auto assets = std::make_shared<static_assets>();
  // Embedded in the binary, so the API is described even when WEB_DIR is missing.
  assets->add("/openapi.json", "application/json", std::string{openapi_document()});
  for (const auto& [url, file] : web_files()) {
    std::string error;
    if (!assets->add_file(url, web_dir + "/" + file, &error))
      missing.push_back(std::move(error));
  }
  return assets;
}

} // namespace traffic::http
