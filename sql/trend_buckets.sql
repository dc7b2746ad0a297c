-- Mean avg_wait_time_all_sides per simulation and epoch-aligned bucket, for the trend chart.
-- $1 = the simulation ids as a JSON array text (e.g. ["SIM_1","SIM_2"]), or NULL for every
-- simulation; $2 = bucket width in seconds (> 0); $3 = intersection id or NULL for any;
-- $4 = from, $5 = to (timestamptz text, inclusive) or NULL.
-- Rows come by simulation id, then bucket start (microseconds since the epoch).
-- As in series_buckets.sql (rollup_time_ranges, sql/003): with whole-minute buckets, the minutes wholly inside [from, to]
-- come from the minute rollups and only the partial edge minutes from the snapshots, read per
-- (simulation, intersection) as primary-key ranges; other widths read the snapshots.
WITH ranges AS (
  SELECT * FROM rollup_time_ranges($4::timestamptz, $5::timestamptz, $2::bigint)
),
-- The (simulation, intersection) pairs in scope, from the rollups' key.
pairs AS (
  SELECT DISTINCT simulation_id, intersection_id
  FROM snapshot_minutes
  WHERE ($1::jsonb IS NULL
         OR simulation_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
    AND ($3::text IS NULL OR intersection_id = $3::text)
),
raw AS (
  SELECT p.simulation_id,
         floor(extract(epoch FROM pm."timestamp") / $2::bigint) * $2::bigint AS bucket,
         1::bigint AS samples,
         pm.avg_wait_time_all_sides AS total
  FROM ranges AS r
  CROSS JOIN pairs AS p
  -- LATERAL with OFFSET 0 (not flattened into a join): one primary-key range scan each.
  CROSS JOIN LATERAL (
    SELECT s."timestamp", s.avg_wait_time_all_sides
    FROM performance_metrics AS s
    WHERE s.simulation_id = p.simulation_id
      AND s.intersection_id = p.intersection_id
      AND s."timestamp" >= r.start
      AND s."timestamp" < r.stop
    OFFSET 0
  ) AS pm
  WHERE r.source = 'raw'
),
rolled AS (
  SELECT m.simulation_id,
         floor(extract(epoch FROM m.minute) / $2::bigint) * $2::bigint AS bucket,
         m.snapshots AS samples,
         m.wait_sum AS total
  FROM ranges AS r
  JOIN snapshot_minutes AS m
    ON ($1::jsonb IS NULL
        OR m.simulation_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
   AND ($3::text IS NULL OR m.intersection_id = $3::text)
   AND m.minute >= r.start
   AND m.minute < r.stop
  WHERE r.source = 'rollup'
)
SELECT simulation_id,
       (bucket * 1000000)::bigint AS bucket_us,
       sum(total) / sum(samples) AS mean_wait
FROM (SELECT * FROM raw UNION ALL SELECT * FROM rolled) AS parts
GROUP BY simulation_id, bucket
ORDER BY simulation_id COLLATE "C", bucket
