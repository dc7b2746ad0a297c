-- Time series of one simulation: per epoch-aligned bucket [start, start + width), the count,
-- mean, min and max of one metric over the matching snapshots, in time order.
-- $1 = simulation id; $2 = metric: 'total_vehicles_passed', 'avg_wait_time_all_sides',
-- 'throughput', 'avg_speed', 'fuel_saved', 'co2_saved' or 'emergency_overrides';
-- $3 = bucket width in seconds (> 0); $4 = intersection id or NULL for any; $5 = from,
-- $6 = to (timestamptz text, inclusive) or NULL; $7 = the most buckets to return.
-- Bucket starts are microseconds since the epoch.
WITH samples AS (
  SELECT floor(extract(epoch FROM "timestamp") / $3::bigint) * $3::bigint AS bucket,
         CASE $2::text
           WHEN 'total_vehicles_passed' THEN total_vehicles_passed::double precision
           WHEN 'avg_wait_time_all_sides' THEN avg_wait_time_all_sides
           WHEN 'throughput' THEN throughput
           WHEN 'avg_speed' THEN avg_speed
           WHEN 'fuel_saved' THEN fuel_saved
           WHEN 'co2_saved' THEN co2_saved
           WHEN 'emergency_overrides' THEN emergency_overrides::double precision
         END AS value
  FROM performance_metrics
  WHERE simulation_id = $1::text
    AND ($4::text IS NULL OR intersection_id = $4::text)
    AND ($5::timestamptz IS NULL OR "timestamp" >= $5::timestamptz)
    AND ($6::timestamptz IS NULL OR "timestamp" <= $6::timestamptz)
)
SELECT (bucket * 1000000)::bigint AS start_us,
       count(value) AS samples,
       avg(value) AS mean,
       min(value) AS min,
       max(value) AS max
FROM samples
GROUP BY bucket
ORDER BY bucket
LIMIT $7::bigint
