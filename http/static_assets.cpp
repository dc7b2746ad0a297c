// Files the server sends as they are (API docs, dashboard), read into memory at start-up.
#include "http/static_assets.hpp"

#include <fstream>
#include <sstream>

namespace traffic::http {

void static_assets::add(std::string url_path, std::string content_type, std::string body) {
  files_[std::move(url_path)] =
      static_file{std::move(content_type), std::make_shared<const std::string>(std::move(body))};
}

bool static_assets::add_file(std::string url_path, const std::string& file, std::string* error) {
  std::ifstream in{file, std::ios::binary};
  std::ostringstream body;
  if (!in || !(body << in.rdbuf())) {
    if (error)
      *error = "cannot read " + file;
    return false;
  }
  add(std::move(url_path), content_type_for(file), body.str());
  return true;
}

const static_file* static_assets::find(std::string_view url_path) const {
  auto it = files_.find(url_path);
  return it == files_.end() ? nullptr : &it->second;
}

std::vector<std::string> static_assets::paths() const {
  std::vector<std::string> out;
  for (const auto& [path, file] : files_)
    out.push_back(path);
  return out;
}

std::string content_type_for(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : file_name.substr(dot + 1);
  if (ext == "html")
    return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs")
    return "text/javascript; charset=utf-8";
  if (ext == "css")
    return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map")
    return "application/json";
  if (ext == "svg")
    return "image/svg+xml";
  if (ext == "png")
    return "image/png";
  if (ext == "ico")
    return "image/x-icon";
  if (ext == "txt")
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

} // namespace traffic::http
