// The cache actor's storage: answers by key with LRU order, a byte bound, a TTL and an index
// from simulation to the answers that depend on it.
#include "actors/answer_store.hpp"

#include <utility>

namespace traffic::actors {

namespace {

/// Hash nodes, list node and the entry itself, roughly: enough to keep the bound honest for
/// many small answers.
constexpr std::size_t entry_overhead_bytes = 256;

} // namespace

std::size_t answer_store::cost(const std::string& key, const std::string& answer) {
  return answer.size() + 2 * key.size() + entry_overhead_bytes;
}

answer_store::body answer_store::find(const std::string& key, clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return nullptr;
  if (now - it->second.stored > ttl_) {
    ++counters_.expirations;
    erase(key);
    return nullptr;
  }
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  return it->second.answer;
}

void answer_store::put(const std::string& key, body answer,
                       const std::vector<std::string>& depends_on, clock::time_point now) {
  if (!enabled() || !answer)
    return;
  auto bytes = cost(key, *answer);
  if (bytes > max_bytes_ / 4)
    return;
  if (entries_.count(key) > 0)
    erase(key);
  while (bytes_ + bytes > max_bytes_ && !recency_.empty()) {
    ++counters_.evictions;
    erase(recency_.back());
  }
  recency_.push_front(key);
  entries_.emplace(key, entry{std::move(answer), bytes, depends_on, now, recency_.begin()});
  bytes_ += bytes;
  if (depends_on.empty())
    unfiltered_.insert(key);
  for (const auto& id : depends_on)
    by_simulation_[id].insert(key);
}

std::int64_t answer_store::invalidate(const std::vector<std::string>& simulation_ids) {
  std::unordered_set<std::string> doomed{unfiltered_.begin(), unfiltered_.end()};
  for (const auto& id : simulation_ids) {
    auto it = by_simulation_.find(id);
    if (it != by_simulation_.end())
      doomed.insert(it->second.begin(), it->second.end());
  }
  for (const auto& key : doomed)
    erase(key);
  counters_.invalidations += static_cast<std::int64_t>(doomed.size());
  return static_cast<std::int64_t>(doomed.size());
}

std::pair<std::int64_t, std::int64_t> answer_store::clear() {
  std::pair<std::int64_t, std::int64_t> dropped{entries(), bytes()};
  entries_.clear();
  recency_.clear();
  by_simulation_.clear();
  unfiltered_.clear();
  bytes_ = 0;
  return dropped;
}

void answer_store::expire(clock::time_point now) {
  std::vector<std::string> old;
  for (const auto& [key, e] : entries_)
    if (now - e.stored > ttl_)
      old.push_back(key);
  for (const auto& key : old)
    erase(key);
  counters_.expirations += static_cast<std::int64_t>(old.size());
}

void answer_store::erase(std::string key) {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return;
  const auto& e = it->second;
  bytes_ -= e.bytes;
  recency_.erase(e.recency);
  if (e.depends_on.empty())
    unfiltered_.erase(key);
  for (const auto& id : e.depends_on) {
    auto index = by_simulation_.find(id);
    if (index == by_simulation_.end())
      continue;
    index->second.erase(key);
    if (index->second.empty())
      by_simulation_.erase(index);
  }
  entries_.erase(it);
}

} // namespace traffic::actors
