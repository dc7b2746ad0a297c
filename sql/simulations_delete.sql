-- Deletes a run with every snapshot and approach row of it (the foreign keys cascade) and
-- returns the run as it was (the columns of simulations_list.sql); no row when it does not
-- exist. $1 = simulation id.
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
