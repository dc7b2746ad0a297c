-- Performance scatter: per simulation, or per (simulation, intersection), the mean
-- avg_wait_time_all_sides (x), the mean throughput (y), the run's mode and the snapshot count,
-- from the minute rollups (sql/002), so the cost follows minutes, not snapshots.
-- $1 = level: 'simulation' or 'intersection' (intersection_id is NULL at the simulation level);
-- $2 = scenario (simulations.scenario) or NULL for any. Rows come in no particular order.
SELECT m.simulation_id,
       CASE WHEN $1::text = 'intersection' THEN m.intersection_id END AS intersection_id,
       sim.mode,
       sum(m.wait_sum) / sum(m.snapshots) AS mean_wait,
       sum(m.throughput_sum) / sum(m.snapshots) AS mean_throughput,
       sum(m.snapshots)::bigint AS snapshots
FROM snapshot_minutes AS m
JOIN simulations AS sim ON sim.id = m.simulation_id
WHERE ($2::text IS NULL OR sim.scenario = $2::text)
GROUP BY m.simulation_id, 2, sim.mode
