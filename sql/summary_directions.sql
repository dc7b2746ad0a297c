-- Per-approach aggregates of one simulation ($1 = simulation id), one row per direction seen,
-- from the run's direction totals (sql/002): samples, mean wait, vehicles crossed, green time
-- allocated (its sum, and its share of the run's sum over every approach: 0 when that is 0),
-- and the share of rows showing GREEN.
SELECT direction,
       samples,
       wait_sum / samples AS mean_wait,
       vehicles_crossed,
       green_time_allocated,
       coalesce(green_time_allocated::double precision
                  / nullif(sum(green_time_allocated) OVER (), 0),
                0) AS green_time_share,
       green_samples::double precision / samples AS green_status_share
FROM direction_totals
WHERE simulation_id = $1
