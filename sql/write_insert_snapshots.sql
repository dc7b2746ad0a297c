-- Stores the snapshots of a batch that are not stored yet, with their approaches, and returns
-- the seq (index in the batch) of each one stored now. The writer uses it when a plain COPY
-- met a key already stored (a resend); sql/write_rollups.sql then adds the stored ones to the
-- rollups in the same transaction. Keys are unique within the batch (the writer dedupes).
-- The batch arrives as parallel arrays, one per column:
--   snapshots  $1 seq, $2 simulation_id, $3 intersection_id, $4 timestamp, $5 mode,
--              $6 total_vehicles_passed, $7 avg_wait_time_all_sides, $8 throughput,
--              $9 avg_speed, $10 fuel_saved, $11 co2_saved, $12 emergency_overrides;
--   approaches $13 seq, $14 direction, $15 signal_status, $16 signal_timer,
--              $17 vehicles_crossed, $18 avg_wait_time, $19 green_time_allocated,
--              $20 emergency_vehicle_present, $21 vehicle_counts.
-- Rows go in key order, so concurrent writers lock keys in the same order.
WITH batch AS (
  SELECT *
  FROM unnest($1::integer[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
              $6::bigint[], $7::double precision[], $8::double precision[],
              $9::double precision[], $10::double precision[], $11::double precision[],
              $12::bigint[])
    AS b (seq, simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
          avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved,
          emergency_overrides)
),
approaches AS (
  SELECT *
  FROM unnest($13::integer[], $14::text[], $15::text[], $16::bigint[], $17::bigint[],
              $18::double precision[], $19::bigint[], $20::boolean[], $21::jsonb[])
    AS a (seq, direction, signal_status, signal_timer, vehicles_crossed, avg_wait_time,
          green_time_allocated, emergency_vehicle_present, vehicle_counts)
),
new_snapshots AS (
  INSERT INTO performance_metrics AS pm (
    simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
    avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved, emergency_overrides)
  SELECT b.simulation_id, b.intersection_id, b."timestamp", b.mode, b.total_vehicles_passed,
         b.avg_wait_time_all_sides, b.throughput, b.avg_speed, b.fuel_saved, b.co2_saved,
         b.emergency_overrides
  FROM batch AS b
  ORDER BY b.simulation_id, b.intersection_id, b."timestamp"
  ON CONFLICT DO NOTHING
  RETURNING pm.simulation_id, pm.intersection_id, pm."timestamp"
),
stored AS (
  SELECT b.*
  FROM batch AS b
  JOIN new_snapshots AS n USING (simulation_id, intersection_id, "timestamp")
),
new_approaches AS (
  INSERT INTO signal_states (
    simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
    vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
    vehicle_counts)
  SELECT sa.simulation_id, sa.intersection_id, sa."timestamp", sa.direction, sa.signal_status,
         sa.signal_timer, sa.vehicles_crossed, sa.avg_wait_time, sa.green_time_allocated,
         sa.emergency_vehicle_present, sa.vehicle_counts
  FROM (SELECT st.simulation_id, st.intersection_id, st."timestamp", a.*
        FROM stored AS st
        JOIN approaches AS a USING (seq)
        ORDER BY st.simulation_id, st.intersection_id, st."timestamp", a.direction) AS sa
)
SELECT seq FROM stored ORDER BY seq
