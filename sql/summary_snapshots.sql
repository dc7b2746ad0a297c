-- Per-snapshot aggregates of one simulation ($1 = simulation id), with its mode and scenario,
-- from the minute rollups (sql/002), so the cost follows the run's minutes, not its snapshots.
-- No row when the simulation has no stored snapshot. Times are microseconds since the epoch.
SELECT sim.mode,
       sim.scenario,
       sum(m.snapshots)::bigint AS snapshots,
       count(DISTINCT m.intersection_id) AS intersections,
       (extract(epoch FROM sim.first_timestamp) * 1000000)::bigint AS first_timestamp_us,
       (extract(epoch FROM sim.last_timestamp) * 1000000)::bigint AS last_timestamp_us,
       sum(m.wait_sum) / sum(m.snapshots) AS mean_wait,
       sum(m.speed_sum) / sum(m.snapshots) AS mean_speed,
       sum(m.throughput_sum) / sum(m.snapshots) AS mean_throughput,
       sum(m.vehicles_sum)::bigint AS total_vehicles_passed,
       sum(m.fuel_sum) AS fuel_saved_total,
       sum(m.co2_sum) AS co2_saved_total,
       sum(m.overrides_sum)::bigint AS emergency_overrides
FROM simulations AS sim
JOIN snapshot_minutes AS m ON m.simulation_id = sim.id
WHERE sim.id = $1
GROUP BY sim.id, sim.mode, sim.scenario, sim.first_timestamp, sim.last_timestamp
