-- Simulation runs by id, as the simulations table records them; times are microseconds since
-- the epoch.
-- $1 = scenario, $2 = mode ('baseline' or 'ai'): each NULL for "any"; $3 = the most rows to
-- return.
SELECT id,
       mode,
       scenario,
       (extract(epoch FROM first_timestamp) * 1000000)::bigint AS first_timestamp_us,
       (extract(epoch FROM last_timestamp) * 1000000)::bigint AS last_timestamp_us,
       snapshot_count,
       (extract(epoch FROM first_seen) * 1000000)::bigint AS first_seen_us,
       (extract(epoch FROM last_seen) * 1000000)::bigint AS last_seen_us
FROM simulations
WHERE ($1::text IS NULL OR scenario = $1::text)
  AND ($2::text IS NULL OR mode = $2::text)
ORDER BY id COLLATE "C"
LIMIT $3::bigint
