-- Mean avg_wait_time_all_sides per simulation and epoch-aligned bucket, for the trend chart.
-- $1 = the simulation ids as a JSON array text (e.g. ["SIM_1","SIM_2"]), or NULL for every
-- simulation; $2 = bucket width in seconds (> 0); $3 = intersection id or NULL for any;
-- $4 = from, $5 = to (timestamptz text, inclusive) or NULL.
-- Rows come by simulation id, then bucket start (microseconds since the epoch).
-- `= ANY (ARRAY(...))` rather than `IN (SELECT ...)`: the planner then reads only the listed
-- runs through the primary key.
WITH samples AS (
  SELECT simulation_id,
         floor(extract(epoch FROM "timestamp") / $2::bigint) * $2::bigint AS bucket,
         avg_wait_time_all_sides
  FROM performance_metrics
  WHERE ($1::jsonb IS NULL
         OR simulation_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
    AND ($3::text IS NULL OR intersection_id = $3::text)
    AND ($4::timestamptz IS NULL OR "timestamp" >= $4::timestamptz)
    AND ($5::timestamptz IS NULL OR "timestamp" <= $5::timestamptz)
)
SELECT simulation_id,
       (bucket * 1000000)::bigint AS bucket_us,
       avg(avg_wait_time_all_sides) AS mean_wait
FROM samples
GROUP BY simulation_id, bucket
ORDER BY simulation_id COLLATE "C", bucket
