// The cache actor's storage: answers by key with LRU order, a byte bound, a TTL and an index
// from simulation to the answers that depend on it. Owned by one actor; not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace traffic::actors {

/// Counters the store keeps for /system/info.
struct answer_store_counters {
  std::int64_t evictions = 0;
  std::int64_t expirations = 0;
  std::int64_t invalidations = 0;
};

class answer_store {
 public:
  using clock = std::chrono::steady_clock;
  using body = std::shared_ptr<const std::string>;

  answer_store(std::size_t max_bytes, std::chrono::milliseconds ttl)
      : max_bytes_{max_bytes}, ttl_{ttl} {}

  /// Returns true when answers are stored at all (a bound and a TTL above zero).
  bool enabled() const { return max_bytes_ > 0 && ttl_.count() > 0; }

  /// Returns the fresh answer under `key` and marks it most recently used; drops it and
  /// returns nothing when it is older than the TTL.
  body find(const std::string& key, clock::time_point now);

  /// Stores `answer` under `key`. `depends_on` empty means every simulation. Evicts least
  /// recently used entries to stay within the bound; an answer bigger than a quarter of the
  /// bound is not stored, so one huge answer cannot flush the rest.
  void put(const std::string& key, body answer, const std::vector<std::string>& depends_on,
           clock::time_point now);

  /// Drops every entry that depends on one of `simulation_ids` and every unfiltered entry;
  /// returns how many were dropped.
  std::int64_t invalidate(const std::vector<std::string>& simulation_ids);

  /// Drops everything; returns the entries and bytes dropped.
  std::pair<std::int64_t, std::int64_t> clear();

  /// Drops the entries older than the TTL.
  void expire(clock::time_point now);

  std::int64_t entries() const { return static_cast<std::int64_t>(entries_.size()); }
  std::int64_t bytes() const { return static_cast<std::int64_t>(bytes_); }
  const answer_store_counters& counters() const { return counters_; }

 private:
  struct entry {
    body answer;
    std::size_t bytes = 0;
    std::vector<std::string> depends_on;
    clock::time_point stored;
    std::list<std::string>::iterator recency;
  };

  /// Returns what an entry costs: the answer, its key (held twice) and bookkeeping.
  static std::size_t cost(const std::string& key, const std::string& answer);
  /// Takes the key by value: callers pass keys that live inside the structures it edits.
  void erase(std::string key);

  std::size_t max_bytes_;
  std::chrono::milliseconds ttl_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> recency_; ///< most recently used first
  std::unordered_map<std::string, std::unordered_set<std::string>> by_simulation_;
  std::unordered_set<std::string> unfiltered_;
  answer_store_counters counters_;
};

} // namespace traffic::actors
