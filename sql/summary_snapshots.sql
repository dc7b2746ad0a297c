-- Per-snapshot aggregates of one simulation ($1 = simulation id), with its mode and scenario.
-- No row when the simulation has no stored snapshot. Times are microseconds since the epoch.
SELECT sim.mode,
       sim.scenario,
       count(*) AS snapshots,
       count(DISTINCT pm.intersection_id) AS intersections,
       (extract(epoch FROM min(pm."timestamp")) * 1000000)::bigint AS first_timestamp_us,
       (extract(epoch FROM max(pm."timestamp")) * 1000000)::bigint AS last_timestamp_us,
       avg(pm.avg_wait_time_all_sides) AS mean_wait,
       avg(pm.avg_speed) AS mean_speed,
       avg(pm.throughput) AS mean_throughput,
       sum(pm.total_vehicles_passed)::bigint AS total_vehicles_passed,
       sum(pm.fuel_saved) AS fuel_saved_total,
       sum(pm.co2_saved) AS co2_saved_total,
       sum(pm.emergency_overrides)::bigint AS emergency_overrides
FROM simulations AS sim
JOIN performance_metrics AS pm ON pm.simulation_id = sim.id
WHERE sim.id = $1
GROUP BY sim.id, sim.mode, sim.scenario
