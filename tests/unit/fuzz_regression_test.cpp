// Replays every fuzz seed and every saved fuzz finding (fuzz/corpus/<target>/ and
// fuzz/regressions/<target>/) through the properties the libFuzzer targets check, in the gcc build.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz/query_properties.hpp"
#include "fuzz/snapshot_properties.hpp"

namespace {

namespace fs = std::filesystem;

/// Returns whether `dir` is this repository's root.
bool is_source_root(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "fuzz" / "corpus", ec) &&
         fs::is_regular_file(dir / "CMakeLists.txt", ec);
}

/// Returns CMAKE_HOME_DIRECTORY from the CMakeCache.txt in `dir`, if there is one.
std::optional<fs::path> source_dir_of_build(const fs::path& dir) {
  std::ifstream cache(dir / "CMakeCache.txt");
  constexpr std::string_view key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
  for (std::string line; std::getline(cache, line);)
    if (line.rfind(key, 0) == 0)
      return fs::path(line.substr(key.size()));
  return std::nullopt;
}

/// Returns the repository root: $TRAFFIC_SOURCE_DIR, else the one this file was compiled from,
/// else the source directory of the build tree holding this test binary (ccache may have made
/// __FILE__ relative).
std::optional<fs::path> source_root() {
  if (const char* env = std::getenv("TRAFFIC_SOURCE_DIR"); env && is_source_root(env))
    return fs::path(env);
  const fs::path here(__FILE__);
  if (here.is_absolute() && is_source_root(here.parent_path().parent_path().parent_path()))
    return here.parent_path().parent_path().parent_path();
  std::error_code ec;
  for (auto dir = fs::read_symlink("/proc/self/exe", ec).parent_path(); !ec && !dir.empty();
       dir = dir.parent_path()) {
    if (auto source = source_dir_of_build(dir); source && is_source_root(*source))
      return source;
    if (is_source_root(dir))
      return dir;
    if (dir == dir.root_path())
      break;
  }
  return std::nullopt;
}

/// Returns the seed and regression files of fuzz target `target`, sorted by path.
std::vector<fs::path> inputs_of(std::string_view target) {
  std::vector<fs::path> files;
  const auto root = source_root();
  if (!root)
    return files;
  for (const char* folder : {"corpus", "regressions"}) {
    const auto dir = *root / "fuzz" / folder / target;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file())
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string contents_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST(FuzzRegression, FindsTheSeedCorpus) {
  ASSERT_TRUE(source_root()) << "set TRAFFIC_SOURCE_DIR to the repository root";
  EXPECT_GE(inputs_of("snapshot_fuzzer").size(), 20u);
  EXPECT_GE(inputs_of("query_fuzzer").size(), 20u);
}

TEST(FuzzRegression, EverySnapshotInputKeepsTheDecoderProperties) {
  for (const auto& file : inputs_of("snapshot_fuzzer")) {
    SCOPED_TRACE(file.string());
    EXPECT_EQ(traffic::fuzz::check_snapshot_body(contents_of(file)), std::nullopt);
  }
}

TEST(FuzzRegression, EveryQueryInputKeepsTheParserProperties) {
  for (const auto& file : inputs_of("query_fuzzer")) {
    SCOPED_TRACE(file.string());
    EXPECT_EQ(traffic::fuzz::check_query_input(contents_of(file)), std::nullopt);
  }
}

// Too big for the fuzzers' inputs (they stay near 4 KB to run fast), so built here.
TEST(FuzzRegression, ATooLongBatchKeepsTheDecoderProperties) {
  std::string array = "[";
  std::string ndjson;
  for (std::size_t i = 0; i <= traffic::http::max_batch_snapshots; ++i) {
    array += i == 0 ? "{}" : ",{}";
    ndjson += "{}\n";
  }
  array += "]";
  for (const auto& body : {array, ndjson}) {
    EXPECT_EQ(traffic::fuzz::check_snapshot_body(body), std::nullopt);
    EXPECT_EQ(traffic::http::decode_batch(body, body == ndjson).result,
              traffic::http::decoded_body::outcome::too_many);
  }
}
