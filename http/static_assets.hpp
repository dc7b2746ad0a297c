// Files the server sends as they are (API docs, dashboard), read into memory at start-up.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace traffic::http {

/// One file as served: its media type and its bytes, shared read-only.
struct static_file {
  std::string content_type;
  std::shared_ptr<const std::string> body;
};

/// URL path -> file. Filled before the listener starts and never changed after, so the I/O
/// threads read it without locks and never touch the disk.
class static_assets {
 public:
  /// Serves `body` at `url_path` (e.g. "/docs/swagger-ui.css") as `content_type`.
  void add(std::string url_path, std::string content_type, std::string body);

  /// Reads `file` and serves it at `url_path`, typed by its extension. Returns false, with
  /// the reason in `error`, when the file cannot be read.
  bool add_file(std::string url_path, const std::string& file, std::string* error = nullptr);

  /// Returns the file at `url_path`, or nullptr.
  const static_file* find(std::string_view url_path) const;

  /// Returns every URL path served, sorted.
  std::vector<std::string> paths() const;

 private:
  std::map<std::string, static_file, std::less<>> files_;
};

/// Returns the media type for a file name's extension (application/octet-stream if unknown).
std::string content_type_for(std::string_view file_name);

} // namespace traffic::http
