-- Performance scatter: per simulation, or per (simulation, intersection), the mean
-- avg_wait_time_all_sides (x), the mean throughput (y), the run's mode and the snapshot count.
-- $1 = level: 'simulation' or 'intersection' (intersection_id is NULL at the simulation level);
-- $2 = scenario (simulations.scenario) or NULL for any. Rows come in no particular order.
SELECT pm.simulation_id,
       CASE WHEN $1::text = 'intersection' THEN pm.intersection_id END AS intersection_id,
       sim.mode,
       avg(pm.avg_wait_time_all_sides) AS mean_wait,
       avg(pm.throughput) AS mean_throughput,
       count(*) AS snapshots
FROM performance_metrics AS pm
JOIN simulations AS sim ON sim.id = pm.simulation_id
WHERE ($2::text IS NULL OR sim.scenario = $2::text)
GROUP BY pm.simulation_id, 2, sim.mode
