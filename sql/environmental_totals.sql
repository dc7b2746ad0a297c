-- Fuel and CO2 saved: snapshot count and sums overall, per intersection and per UTC hour.
-- $1 = simulation id, $2 = intersection id, $3 = from, $4 = to (timestamptz text, inclusive):
-- each NULL for "any".
-- level is 'overall' (one row, present even when nothing matches), 'intersection' or 'hour'
-- (group_key = the hour start as RFC 3339); rows come by level, then key in byte order.
WITH snapshots AS (
  SELECT intersection_id,
         to_char(date_trunc('hour', "timestamp" AT TIME ZONE 'UTC'),
                 'YYYY-MM-DD"T"HH24:00:00"Z"') AS hour,
         fuel_saved,
         co2_saved
  FROM performance_metrics
  WHERE ($1::text IS NULL OR simulation_id = $1::text)
    AND ($2::text IS NULL OR intersection_id = $2::text)
    AND ($3::timestamptz IS NULL OR "timestamp" >= $3::timestamptz)
    AND ($4::timestamptz IS NULL OR "timestamp" <= $4::timestamptz)
)
SELECT CASE
         WHEN GROUPING(intersection_id) = 0 THEN 'intersection'
         WHEN GROUPING(hour) = 0 THEN 'hour'
         ELSE 'overall'
       END AS level,
       coalesce(intersection_id, hour) AS group_key,
       count(*) AS snapshots,
       coalesce(sum(fuel_saved), 0) AS fuel_saved,
       coalesce(sum(co2_saved), 0) AS co2_saved
FROM snapshots
GROUP BY GROUPING SETS ((), (intersection_id), (hour))
ORDER BY level, coalesce(intersection_id, hour) COLLATE "C"
