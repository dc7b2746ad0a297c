-- Block samples for the baseline-versus-AI t-tests: per run, intersection and epoch-aligned
-- block, the snapshot count and the means of wait, speed, throughput and vehicles passed, with
-- the run's scenario.
-- $1 = the run ids as a JSON array text (e.g. ["SIM_1","SIM_2"]); $2 = block width in seconds
-- (> 0). Block starts are microseconds since the epoch; rows by run, intersection, block.
-- `= ANY (ARRAY(...))` rather than `IN (SELECT ...)`: the planner then reads only the listed runs
-- through the primary key.
WITH samples AS (
  SELECT pm.simulation_id,
         pm.intersection_id,
         floor(extract(epoch FROM pm."timestamp") / $2::bigint) * $2::bigint AS block,
         pm.avg_wait_time_all_sides,
         pm.avg_speed,
         pm.throughput,
         pm.total_vehicles_passed
  FROM performance_metrics AS pm
  WHERE pm.simulation_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
)
SELECT s.simulation_id,
       sim.scenario,
       s.intersection_id,
       (s.block * 1000000)::bigint AS block_start_us,
       count(*) AS snapshots,
       avg(s.avg_wait_time_all_sides) AS wait,
       avg(s.avg_speed) AS speed,
       avg(s.throughput) AS throughput,
       avg(s.total_vehicles_passed)::double precision AS vehicles_passed
FROM samples AS s
JOIN simulations AS sim ON sim.id = s.simulation_id
GROUP BY s.simulation_id, sim.scenario, s.intersection_id, s.block
ORDER BY s.simulation_id COLLATE "C", s.intersection_id COLLATE "C", s.block
