-- Changes a run's mode and scenario and returns the row as stored afterwards (the columns of
-- simulations_list.sql); no row when the run does not exist.
-- $1 = simulation id; $2 = whether to set the mode, $3 = the new mode ('baseline', 'ai' or
-- NULL to clear it); $4 = whether to set the scenario, $5 = the new scenario (NULL clears it).
UPDATE simulations
SET mode = CASE WHEN $2::boolean THEN $3::text ELSE mode END,
    scenario = CASE WHEN $4::boolean THEN $5::text ELSE scenario END
WHERE id = $1::text
RETURNING id,
          mode,
          scenario,
          (extract(epoch FROM first_timestamp) * 1000000)::bigint AS first_timestamp_us,
          (extract(epoch FROM last_timestamp) * 1000000)::bigint AS last_timestamp_us,
          snapshot_count,
          (extract(epoch FROM first_seen) * 1000000)::bigint AS first_seen_us,
          (extract(epoch FROM last_seen) * 1000000)::bigint AS last_seen_us
