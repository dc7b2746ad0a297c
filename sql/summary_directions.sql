-- Per-approach aggregates of one simulation ($1 = simulation id), one row per direction seen:
-- samples, mean wait, vehicles crossed, green time allocated (its sum, and its share of the
-- run's sum over every approach: 0 when that is 0), and the share of rows showing GREEN.
SELECT direction,
       count(*) AS samples,
       avg(avg_wait_time) AS mean_wait,
       sum(vehicles_crossed)::bigint AS vehicles_crossed,
       sum(green_time_allocated)::bigint AS green_time_allocated,
       coalesce(sum(green_time_allocated)::double precision
                  / nullif(sum(sum(green_time_allocated)) OVER (), 0),
                0) AS green_time_share,
       (count(*) FILTER (WHERE signal_status = 'GREEN'))::double precision / count(*)
         AS green_status_share
FROM signal_states
WHERE simulation_id = $1
GROUP BY direction
