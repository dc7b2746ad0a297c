// Parses the text of a .env file.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace traffic::config {

/// The KEY=VALUE pairs of a .env file and the lines it could not read.
struct dotenv_result {
  std::map<std::string, std::string> values;
  std::vector<std::string> errors; ///< "line 3: expected KEY=VALUE"
};

/// Reads lines of KEY=VALUE (optionally prefixed by "export "); blank lines and lines starting
/// with '#' are skipped; a value may be wrapped in single or double quotes, which are removed.
dotenv_result parse_dotenv(std::string_view text);

} // namespace traffic::config
