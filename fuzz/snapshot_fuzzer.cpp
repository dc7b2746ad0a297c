// libFuzzer target: any bytes as an ingest body, decoded as one snapshot, a JSON array and NDJSON.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz/snapshot_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto broken = traffic::fuzz::check_snapshot_body(body)) {
    // A broken property is a finding like a crash: libFuzzer saves the input on abort.
    std::fprintf(stderr, "snapshot_fuzzer: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
