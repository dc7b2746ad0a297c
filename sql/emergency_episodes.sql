-- Emergency episodes: maximal runs of consecutive signal_states rows of one approach (per
-- simulation, intersection and direction, in time order) with emergency_vehicle_present, among
-- the rows the filters let through (so the range may cut an episode at its edges).
-- $1 = simulation id, $2 = intersection id, $3 = direction (canonical name), $4 = from,
-- $5 = to (timestamptz text, inclusive): each NULL for "any".
-- Per episode: start and end, snapshots, and the first GREEN instant (NULL if none), as
-- microseconds since the epoch. Gaps and islands: within an episode the row number over all of
-- the approach's rows and the one over its emergency rows rise together, so their difference
-- names the episode.
WITH approach_rows AS (
  SELECT simulation_id,
         intersection_id,
         direction,
         "timestamp",
         signal_status,
         emergency_vehicle_present,
         row_number() OVER (PARTITION BY simulation_id, intersection_id, direction
                            ORDER BY "timestamp") AS row_in_approach
  FROM signal_states
  WHERE ($1::text IS NULL OR simulation_id = $1::text)
    AND ($2::text IS NULL OR intersection_id = $2::text)
    AND ($3::text IS NULL OR direction = $3::text)
    AND ($4::timestamptz IS NULL OR "timestamp" >= $4::timestamptz)
    AND ($5::timestamptz IS NULL OR "timestamp" <= $5::timestamptz)
),
emergency_rows AS (
  SELECT *,
         row_in_approach - row_number() OVER (PARTITION BY simulation_id, intersection_id,
                                                           direction
                                              ORDER BY "timestamp") AS episode
  FROM approach_rows
  WHERE emergency_vehicle_present
)
SELECT simulation_id,
       intersection_id,
       direction,
       (extract(epoch FROM min("timestamp")) * 1000000)::bigint AS start_us,
       (extract(epoch FROM max("timestamp")) * 1000000)::bigint AS end_us,
       count(*) AS snapshots,
       (extract(epoch FROM min("timestamp") FILTER (WHERE signal_status = 'GREEN'))
          * 1000000)::bigint AS first_green_us
FROM emergency_rows
GROUP BY simulation_id, intersection_id, direction, episode
ORDER BY start_us, simulation_id COLLATE "C", intersection_id COLLATE "C", direction
