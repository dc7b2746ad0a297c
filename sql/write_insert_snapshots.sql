-- Stores the snapshots of a batch that are not stored yet, with their approaches, and returns
-- the seq (index in the batch) of each one stored now. The writer uses it when a batch met a
-- key already stored (a resend); sql/write_batch.sql then adds the stored ones to the runs and
-- rollups in the same transaction. Keys are unique within the batch (the writer dedupes).
-- The parameters are write_batch.sql's row arrays, $1-$22 (snapshots $1-$11, approaches
-- $12-$22, in the same order), and $23, the seq of each snapshot. Approaches find their
-- snapshot by key. Rows go in key order, so concurrent writers lock keys in the same order.
WITH batch AS (
  SELECT *
  FROM unnest($23::integer[], $1::text[], $2::text[], $3::timestamptz[], $4::text[],
              $5::bigint[], $6::double precision[], $7::double precision[],
              $8::double precision[], $9::double precision[], $10::double precision[],
              $11::bigint[])
    AS b (seq, simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
          avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved,
          emergency_overrides)
),
approaches AS (
  SELECT *
  FROM unnest($12::text[], $13::text[], $14::timestamptz[], $15::text[], $16::text[],
              $17::bigint[], $18::bigint[], $19::double precision[], $20::bigint[],
              $21::boolean[], $22::jsonb[])
    AS a (simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
          vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
          vehicle_counts)
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
new_approaches AS (
  INSERT INTO signal_states (
    simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
    vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
    vehicle_counts)
  SELECT a.*
  FROM new_snapshots AS n
  JOIN approaches AS a USING (simulation_id, intersection_id, "timestamp")
  ORDER BY a.simulation_id, a.intersection_id, a."timestamp", a.direction
)
SELECT b.seq
FROM batch AS b
JOIN new_snapshots AS n USING (simulation_id, intersection_id, "timestamp")
ORDER BY b.seq
