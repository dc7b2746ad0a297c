-- Stores a batch in one statement, so in one implicit transaction when run outside a
-- transaction block: its snapshots and approaches (plain inserts: a key stored already fails the
-- whole statement, and the writer then stores the batch by sql/write_insert_snapshots.sql
-- instead, passing empty row arrays here), its runs and the rollups (sql/002), whose rows
-- metrics/batch_rollup.hpp computed from the snapshots stored. One round trip per batch.
-- Every list is sorted by key, so concurrent writers lock rows in the same order. PostgreSQL
-- runs the main statement first and then the WITH parts from the last written to the first, so
-- the snapshot insert (where a resend fails the statement) runs first and the rows every batch
-- of a run updates (its direction and class totals, its simulations row) are locked last:
-- another writer waits on them for as short a time as possible.
--   snapshots  $1 simulation_id, $2 intersection_id, $3 timestamp, $4 mode,
--              $5 total_vehicles_passed, $6 avg_wait_time_all_sides, $7 throughput,
--              $8 avg_speed, $9 fuel_saved, $10 co2_saved, $11 emergency_overrides;
--   approaches $12 simulation_id, $13 intersection_id, $14 timestamp, $15 direction,
--              $16 signal_status, $17 signal_timer, $18 vehicles_crossed, $19 avg_wait_time,
--              $20 green_time_allocated, $21 emergency_vehicle_present, $22 vehicle_counts;
--   runs       $23 id, $24 mode, $25 scenario (NULL: keep the stored one), $26 first timestamp,
--              $27 last timestamp, $28 snapshots;
--   minutes    $29 simulation_id, $30 intersection_id, $31 minute, $32 snapshots, then sum, min
--              and max of: $33-$35 wait, $36-$38 speed, $39-$41 throughput, $42-$44 vehicles,
--              $45-$47 fuel, $48-$50 co2, $51-$53 overrides;
--   directions $54 simulation_id, $55 direction, $56 samples, $57 wait_sum,
--              $58 vehicles_crossed, $59 green_time_allocated, $60 green_samples;
--   classes    $61 simulation_id, $62 vehicle_class, $63 vehicles.
WITH runs AS (
  INSERT INTO simulations AS sim (
    id, mode, scenario, first_timestamp, last_timestamp, first_seen, last_seen, snapshot_count)
  SELECT r.id, r.mode, r.scenario, r.first_timestamp, r.last_timestamp, now(), now(), r.snapshots
  FROM unnest($23::text[], $24::text[], $25::text[], $26::timestamptz[], $27::timestamptz[],
              $28::bigint[])
    AS r (id, mode, scenario, first_timestamp, last_timestamp, snapshots)
  ON CONFLICT (id) DO UPDATE SET
    mode = coalesce(EXCLUDED.mode, sim.mode),
    scenario = coalesce(EXCLUDED.scenario, sim.scenario),
    first_timestamp = least(sim.first_timestamp, EXCLUDED.first_timestamp),
    last_timestamp = greatest(sim.last_timestamp, EXCLUDED.last_timestamp),
    last_seen = EXCLUDED.last_seen,
    snapshot_count = sim.snapshot_count + EXCLUDED.snapshot_count
),
classes AS (
  INSERT INTO vehicle_class_totals AS v
  SELECT *
  FROM unnest($61::text[], $62::text[], $63::bigint[])
  ON CONFLICT (simulation_id, vehicle_class) DO UPDATE SET
    vehicles = v.vehicles + EXCLUDED.vehicles
),
directions AS (
  INSERT INTO direction_totals AS d
  SELECT *
  FROM unnest($54::text[], $55::text[], $56::bigint[], $57::double precision[], $58::bigint[],
              $59::bigint[], $60::bigint[])
  ON CONFLICT (simulation_id, direction) DO UPDATE SET
    samples = d.samples + EXCLUDED.samples,
    wait_sum = d.wait_sum + EXCLUDED.wait_sum,
    vehicles_crossed = d.vehicles_crossed + EXCLUDED.vehicles_crossed,
    green_time_allocated = d.green_time_allocated + EXCLUDED.green_time_allocated,
    green_samples = d.green_samples + EXCLUDED.green_samples
),
minutes AS (
  INSERT INTO snapshot_minutes AS m
  SELECT *
  FROM unnest($29::text[], $30::text[], $31::timestamptz[], $32::bigint[],
              $33::double precision[], $34::double precision[], $35::double precision[],
              $36::double precision[], $37::double precision[], $38::double precision[],
              $39::double precision[], $40::double precision[], $41::double precision[],
              $42::bigint[], $43::bigint[], $44::bigint[], $45::double precision[],
              $46::double precision[], $47::double precision[], $48::double precision[],
              $49::double precision[], $50::double precision[], $51::bigint[], $52::bigint[],
              $53::bigint[])
  ON CONFLICT (simulation_id, intersection_id, minute) DO UPDATE SET
    snapshots = m.snapshots + EXCLUDED.snapshots,
    wait_sum = m.wait_sum + EXCLUDED.wait_sum,
    wait_min = least(m.wait_min, EXCLUDED.wait_min),
    wait_max = greatest(m.wait_max, EXCLUDED.wait_max),
    speed_sum = m.speed_sum + EXCLUDED.speed_sum,
    speed_min = least(m.speed_min, EXCLUDED.speed_min),
    speed_max = greatest(m.speed_max, EXCLUDED.speed_max),
    throughput_sum = m.throughput_sum + EXCLUDED.throughput_sum,
    throughput_min = least(m.throughput_min, EXCLUDED.throughput_min),
    throughput_max = greatest(m.throughput_max, EXCLUDED.throughput_max),
    vehicles_sum = m.vehicles_sum + EXCLUDED.vehicles_sum,
    vehicles_min = least(m.vehicles_min, EXCLUDED.vehicles_min),
    vehicles_max = greatest(m.vehicles_max, EXCLUDED.vehicles_max),
    fuel_sum = m.fuel_sum + EXCLUDED.fuel_sum,
    fuel_min = least(m.fuel_min, EXCLUDED.fuel_min),
    fuel_max = greatest(m.fuel_max, EXCLUDED.fuel_max),
    co2_sum = m.co2_sum + EXCLUDED.co2_sum,
    co2_min = least(m.co2_min, EXCLUDED.co2_min),
    co2_max = greatest(m.co2_max, EXCLUDED.co2_max),
    overrides_sum = m.overrides_sum + EXCLUDED.overrides_sum,
    overrides_min = least(m.overrides_min, EXCLUDED.overrides_min),
    overrides_max = greatest(m.overrides_max, EXCLUDED.overrides_max)
),
approaches AS (
  INSERT INTO signal_states (
    simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
    vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
    vehicle_counts)
  SELECT *
  FROM unnest($12::text[], $13::text[], $14::timestamptz[], $15::text[], $16::text[],
              $17::bigint[], $18::bigint[], $19::double precision[], $20::bigint[],
              $21::boolean[], $22::jsonb[])
)
INSERT INTO performance_metrics (
  simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
  avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved, emergency_overrides)
SELECT *
FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[],
            $6::double precision[], $7::double precision[], $8::double precision[],
            $9::double precision[], $10::double precision[], $11::bigint[])
