// Decodes ingest bodies (one JSON snapshot, a JSON array, or NDJSON) into validated snapshots.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/snapshot.hpp"

namespace traffic::http {

/// A batch holds at most this many snapshots.
inline constexpr std::size_t max_batch_snapshots = 10000;

/// One reason a body was refused, for the error body's "details".
struct decode_detail {
  std::string path;
  std::string message;
  std::optional<std::size_t> index; ///< the batch item, for batches
};

/// What decoding a body gave.
struct decoded_body {
  enum class outcome { ok, malformed, invalid, too_many };
  outcome result = outcome::ok;
  std::vector<metrics::snapshot> snapshots; ///< when ok
  std::string message;                      ///< when not ok: a sentence for the error body
  std::vector<decode_detail> details;       ///< when malformed or invalid
};

/// Decodes one snapshot object.
decoded_body decode_single(std::string_view body);

/// Decodes a JSON array of snapshots, or NDJSON (one snapshot per non-blank line) when `ndjson`.
/// Validation is atomic: any invalid item makes the whole body invalid, every bad item listed.
decoded_body decode_batch(std::string_view body, bool ndjson);

} // namespace traffic::http
