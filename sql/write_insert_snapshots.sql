-- Moves the staged batch into the real tables in one statement and returns the seq of every
-- snapshot stored now (a key already stored is skipped). Snapshot keys are unique within the
-- staged batch (the writer dedupes in memory). Rows go in key order and simulations in id order,
-- so concurrent writers take row locks in the same order. The foreign keys are checked at the end
-- of the statement, after the simulations upsert below has run.
WITH new_snapshots AS (
  INSERT INTO performance_metrics AS pm (
    simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
    avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved, emergency_overrides)
  SELECT s.simulation_id, s.intersection_id, s."timestamp", s.mode, s.total_vehicles_passed,
         s.avg_wait_time_all_sides, s.throughput, s.avg_speed, s.fuel_saved, s.co2_saved,
         s.emergency_overrides
  FROM pg_temp.staging_snapshots AS s
  ORDER BY s.simulation_id, s.intersection_id, s."timestamp"
  ON CONFLICT DO NOTHING
  RETURNING pm.simulation_id, pm.intersection_id, pm."timestamp"
),
stored AS (
  SELECT s.*
  FROM pg_temp.staging_snapshots AS s
  JOIN new_snapshots AS n USING (simulation_id, intersection_id, "timestamp")
),
new_signals AS (
  INSERT INTO signal_states (
    simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
    vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
    vehicle_counts)
  SELECT st.simulation_id, st.intersection_id, st."timestamp", g.direction, g.signal_status,
         g.signal_timer, g.vehicles_crossed, g.avg_wait_time, g.green_time_allocated,
         g.emergency_vehicle_present, g.vehicle_counts
  FROM stored AS st
  JOIN pg_temp.staging_signals AS g ON g.seq = st.seq
  ORDER BY st.simulation_id, st.intersection_id, st."timestamp", g.direction
),
upserted_simulations AS (
  INSERT INTO simulations AS sim (
    id, mode, scenario, first_timestamp, last_timestamp, first_seen, last_seen, snapshot_count)
  SELECT st.simulation_id,
         -- the latest value the batch sent for the run, if any
         (array_agg(st.mode ORDER BY st.seq DESC) FILTER (WHERE st.mode IS NOT NULL))[1],
         (array_agg(st.scenario ORDER BY st.seq DESC) FILTER (WHERE st.scenario IS NOT NULL))[1],
         min(st."timestamp"), max(st."timestamp"), now(), now(), count(*)
  FROM stored AS st
  GROUP BY st.simulation_id
  ORDER BY st.simulation_id
  ON CONFLICT (id) DO UPDATE SET
    mode = coalesce(EXCLUDED.mode, sim.mode),
    scenario = coalesce(EXCLUDED.scenario, sim.scenario),
    first_timestamp = least(sim.first_timestamp, EXCLUDED.first_timestamp),
    last_timestamp = greatest(sim.last_timestamp, EXCLUDED.last_timestamp),
    last_seen = EXCLUDED.last_seen,
    snapshot_count = sim.snapshot_count + EXCLUDED.snapshot_count
)
SELECT seq FROM stored ORDER BY seq
