-- Adds a batch's newly stored snapshots to their runs and to the rollups (sql/002), in the
-- writer's transaction; metrics/batch_rollup.hpp computed the rows. Each list is sorted by key,
-- so concurrent writers lock rows in the same order.
--   runs       $1 id, $2 mode, $3 scenario (NULL: keep the stored one), $4 first timestamp,
--              $5 last timestamp, $6 snapshots;
--   minutes    $7 simulation_id, $8 intersection_id, $9 minute, $10 snapshots, then sum, min
--              and max of: $11-$13 wait, $14-$16 speed, $17-$19 throughput, $20-$22 vehicles,
--              $23-$25 fuel, $26-$28 co2, $29-$31 overrides;
--   directions $32 simulation_id, $33 direction, $34 samples, $35 wait_sum,
--              $36 vehicles_crossed, $37 green_time_allocated, $38 green_samples;
--   classes    $39 simulation_id, $40 vehicle_class, $41 vehicles.
WITH runs AS (
  INSERT INTO simulations AS sim (
    id, mode, scenario, first_timestamp, last_timestamp, first_seen, last_seen, snapshot_count)
  SELECT r.id, r.mode, r.scenario, r.first_timestamp, r.last_timestamp, now(), now(), r.snapshots
  FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[],
              $6::bigint[])
    AS r (id, mode, scenario, first_timestamp, last_timestamp, snapshots)
  ON CONFLICT (id) DO UPDATE SET
    mode = coalesce(EXCLUDED.mode, sim.mode),
    scenario = coalesce(EXCLUDED.scenario, sim.scenario),
    first_timestamp = least(sim.first_timestamp, EXCLUDED.first_timestamp),
    last_timestamp = greatest(sim.last_timestamp, EXCLUDED.last_timestamp),
    last_seen = EXCLUDED.last_seen,
    snapshot_count = sim.snapshot_count + EXCLUDED.snapshot_count
),
minutes AS (
  INSERT INTO snapshot_minutes AS m
  SELECT *
  FROM unnest($7::text[], $8::text[], $9::timestamptz[], $10::bigint[],
              $11::double precision[], $12::double precision[], $13::double precision[],
              $14::double precision[], $15::double precision[], $16::double precision[],
              $17::double precision[], $18::double precision[], $19::double precision[],
              $20::bigint[], $21::bigint[], $22::bigint[], $23::double precision[],
              $24::double precision[], $25::double precision[], $26::double precision[],
              $27::double precision[], $28::double precision[], $29::bigint[], $30::bigint[],
              $31::bigint[])
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
directions AS (
  INSERT INTO direction_totals AS d
  SELECT *
  FROM unnest($32::text[], $33::text[], $34::bigint[], $35::double precision[], $36::bigint[],
              $37::bigint[], $38::bigint[])
  ON CONFLICT (simulation_id, direction) DO UPDATE SET
    samples = d.samples + EXCLUDED.samples,
    wait_sum = d.wait_sum + EXCLUDED.wait_sum,
    vehicles_crossed = d.vehicles_crossed + EXCLUDED.vehicles_crossed,
    green_time_allocated = d.green_time_allocated + EXCLUDED.green_time_allocated,
    green_samples = d.green_samples + EXCLUDED.green_samples
)
INSERT INTO vehicle_class_totals AS v
SELECT *
FROM unnest($39::text[], $40::text[], $41::bigint[])
ON CONFLICT (simulation_id, vehicle_class) DO UPDATE SET
  vehicles = v.vehicles + EXCLUDED.vehicles
