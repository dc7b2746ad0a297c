-- Sum of emergency_overrides per (simulation, intersection) over the matching snapshots; pairs
-- whose sum is 0 are left out.
-- $1 = simulation id, $2 = intersection id, $3 = from, $4 = to (timestamptz text, inclusive):
-- each NULL for "any".
SELECT simulation_id,
       intersection_id,
       sum(emergency_overrides)::bigint AS overrides
FROM performance_metrics
WHERE ($1::text IS NULL OR simulation_id = $1::text)
  AND ($2::text IS NULL OR intersection_id = $2::text)
  AND ($3::timestamptz IS NULL OR "timestamp" >= $3::timestamptz)
  AND ($4::timestamptz IS NULL OR "timestamp" <= $4::timestamptz)
GROUP BY simulation_id, intersection_id
HAVING sum(emergency_overrides) > 0
ORDER BY simulation_id COLLATE "C", intersection_id COLLATE "C"
