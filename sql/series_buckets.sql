-- Time series of one simulation: per epoch-aligned bucket [start, start + width), the count,
-- mean, min and max of one metric over the matching snapshots, in time order.
-- $1 = simulation id; $2 = metric: 'total_vehicles_passed', 'avg_wait_time_all_sides',
-- 'throughput', 'avg_speed', 'fuel_saved', 'co2_saved' or 'emergency_overrides';
-- $3 = bucket width in seconds (> 0); $4 = intersection id or NULL for any; $5 = from,
-- $6 = to (timestamptz text, inclusive) or NULL; $7 = the most buckets to return.
-- Bucket starts are microseconds since the epoch.
--
-- When the width is whole minutes, every minute wholly inside [from, to] is read from the
-- minute rollups (sql/002) and only the partial minutes at the edges from the snapshots
-- (rollup_time_ranges, sql/003), so a day costs about 1,440 rows per intersection whatever the
-- tick rate. Other widths read the snapshots. Snapshots are read per intersection, so each
-- range is one primary-key range scan.
WITH ranges AS (
  SELECT * FROM rollup_time_ranges($5::timestamptz, $6::timestamptz, $3::bigint)
),
intersections AS (
  SELECT $4::text AS intersection_id WHERE $4::text IS NOT NULL
  UNION ALL
  SELECT DISTINCT intersection_id
  FROM snapshot_minutes
  WHERE $4::text IS NULL AND simulation_id = $1::text
),
raw AS (
  SELECT floor(extract(epoch FROM pm."timestamp") / $3::bigint) * $3::bigint AS bucket,
         1::bigint AS samples,
         v.value AS total,
         v.value AS low,
         v.value AS high
  FROM ranges AS r
  CROSS JOIN intersections AS i
  -- LATERAL with OFFSET 0 (not flattened into a join): each (range, intersection) is its own
  -- primary-key range scan, where a join would read the run's every snapshot.
  CROSS JOIN LATERAL (
    SELECT s."timestamp", s.total_vehicles_passed, s.avg_wait_time_all_sides, s.throughput,
           s.avg_speed, s.fuel_saved, s.co2_saved, s.emergency_overrides
    FROM performance_metrics AS s
    WHERE s.simulation_id = $1::text
      AND s.intersection_id = i.intersection_id
      AND s."timestamp" >= r.start
      AND s."timestamp" < r.stop
    OFFSET 0
  ) AS pm
  CROSS JOIN LATERAL (
    SELECT CASE $2::text
             WHEN 'total_vehicles_passed' THEN pm.total_vehicles_passed::double precision
             WHEN 'avg_wait_time_all_sides' THEN pm.avg_wait_time_all_sides
             WHEN 'throughput' THEN pm.throughput
             WHEN 'avg_speed' THEN pm.avg_speed
             WHEN 'fuel_saved' THEN pm.fuel_saved
             WHEN 'co2_saved' THEN pm.co2_saved
             WHEN 'emergency_overrides' THEN pm.emergency_overrides::double precision
           END AS value
  ) AS v
  WHERE r.source = 'raw'
),
rolled AS (
  SELECT floor(extract(epoch FROM m.minute) / $3::bigint) * $3::bigint AS bucket,
         m.snapshots AS samples,
         CASE $2::text
           WHEN 'total_vehicles_passed' THEN m.vehicles_sum::double precision
           WHEN 'avg_wait_time_all_sides' THEN m.wait_sum
           WHEN 'throughput' THEN m.throughput_sum
           WHEN 'avg_speed' THEN m.speed_sum
           WHEN 'fuel_saved' THEN m.fuel_sum
           WHEN 'co2_saved' THEN m.co2_sum
           WHEN 'emergency_overrides' THEN m.overrides_sum::double precision
         END AS total,
         CASE $2::text
           WHEN 'total_vehicles_passed' THEN m.vehicles_min::double precision
           WHEN 'avg_wait_time_all_sides' THEN m.wait_min
           WHEN 'throughput' THEN m.throughput_min
           WHEN 'avg_speed' THEN m.speed_min
           WHEN 'fuel_saved' THEN m.fuel_min
           WHEN 'co2_saved' THEN m.co2_min
           WHEN 'emergency_overrides' THEN m.overrides_min::double precision
         END AS low,
         CASE $2::text
           WHEN 'total_vehicles_passed' THEN m.vehicles_max::double precision
           WHEN 'avg_wait_time_all_sides' THEN m.wait_max
           WHEN 'throughput' THEN m.throughput_max
           WHEN 'avg_speed' THEN m.speed_max
           WHEN 'fuel_saved' THEN m.fuel_max
           WHEN 'co2_saved' THEN m.co2_max
           WHEN 'emergency_overrides' THEN m.overrides_max::double precision
         END AS high
  FROM ranges AS r
  JOIN snapshot_minutes AS m
    ON m.simulation_id = $1::text
   AND ($4::text IS NULL OR m.intersection_id = $4::text)
   AND m.minute >= r.start
   AND m.minute < r.stop
  WHERE r.source = 'rollup'
)
SELECT (bucket * 1000000)::bigint AS start_us,
       sum(samples)::bigint AS samples,
       sum(total) / sum(samples) AS mean,
       min(low) AS min,
       max(high) AS max
FROM (SELECT * FROM raw UNION ALL SELECT * FROM rolled) AS parts
GROUP BY bucket
ORDER BY bucket
LIMIT $7::bigint
