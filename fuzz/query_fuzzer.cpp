// libFuzzer target: any bytes as the query string (and path id) of every analytics query kind and
// of clear-cache.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz/query_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto broken = traffic::fuzz::check_query_input(input)) {
    // A broken property is a finding like a crash: libFuzzer saves the input on abort.
    std::fprintf(stderr, "query_fuzzer: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
