-- Deletes a run with every snapshot, approach and rollup row of it, and returns the run as it
-- was (the columns of simulations_list.sql); no row when it does not exist. $1 = simulation id.
-- The tables have no foreign keys (ingest speed: sql/002), so each is named here.
WITH approaches AS (
  DELETE FROM signal_states WHERE simulation_id = $1::text
),
snapshots AS (
  DELETE FROM performance_metrics WHERE simulation_id = $1::text
),
minutes AS (
  DELETE FROM snapshot_minutes WHERE simulation_id = $1::text
),
directions AS (
  DELETE FROM direction_totals WHERE simulation_id = $1::text
),
classes AS (
  DELETE FROM vehicle_class_totals WHERE simulation_id = $1::text
)
DELETE FROM simulations
WHERE id = $1::text
RETURNING id,
          mode,
          scenario,
          (extract(epoch FROM first_timestamp) * 1000000)::bigint AS first_timestamp_us,
          (extract(epoch FROM last_timestamp) * 1000000)::bigint AS last_timestamp_us,
          snapshot_count,
          (extract(epoch FROM first_seen) * 1000000)::bigint AS first_seen_us,
          (extract(epoch FROM last_seen) * 1000000)::bigint AS last_seen_us
