-- Distribution of signal_states.avg_wait_time (one sample per approach per snapshot), overall
-- and per group.
-- $1 = group: 'none', 'direction', 'intersection', 'simulation' or 'hour' (the UTC hour start
-- as RFC 3339).
-- $2 = simulation id, $3 = intersection id, $4 = direction (canonical name), $5 = from,
-- $6 = to (timestamptz text, inclusive): each NULL for "any".
-- The overall row comes first (is_overall, key NULL; present even when nothing matches, with
-- samples 0 and NULL figures), then one row per group in key byte order (none for 'none').
WITH samples AS (
  SELECT CASE $1::text
           WHEN 'direction' THEN direction
           WHEN 'intersection' THEN intersection_id
           WHEN 'simulation' THEN simulation_id
           WHEN 'hour' THEN to_char(date_trunc('hour', "timestamp" AT TIME ZONE 'UTC'),
                                    'YYYY-MM-DD"T"HH24:00:00"Z"')
         END AS group_key,
         avg_wait_time AS value
  FROM signal_states
  WHERE ($2::text IS NULL OR simulation_id = $2::text)
    AND ($3::text IS NULL OR intersection_id = $3::text)
    AND ($4::text IS NULL OR direction = $4::text)
    AND ($5::timestamptz IS NULL OR "timestamp" >= $5::timestamptz)
    AND ($6::timestamptz IS NULL OR "timestamp" <= $6::timestamptz)
)
SELECT GROUPING(group_key) = 1 AS is_overall,
       group_key,
       count(value) AS samples,
       avg(value) AS mean,
       min(value) AS min,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95,
       max(value) AS max
FROM samples
GROUP BY GROUPING SETS ((), (group_key))
HAVING GROUPING(group_key) = 1 OR $1::text <> 'none'
ORDER BY GROUPING(group_key) DESC, group_key COLLATE "C"
