-- Per-approach aggregates of one simulation ($1 = simulation id), one row per direction seen.
SELECT direction,
       count(*) AS samples,
       avg(avg_wait_time) AS mean_wait,
       sum(vehicles_crossed)::bigint AS vehicles_crossed
FROM signal_states
WHERE simulation_id = $1
GROUP BY direction
