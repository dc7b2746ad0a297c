-- Ingest at the speed of COPY, and reads proportional to minutes instead of snapshots.
--
-- 1. Indexes and constraints measured as the bulk of ingest cost and used by no query
--    (bench/RESULTS.md, 2026-11-29: 100,000 snapshots with 400,000 approach rows took 13.1 s to
--    insert with them and 2.1 s without):
--    - the GIN index on vehicle_counts (no endpoint asks for containment);
--    - the foreign keys signal_states -> performance_metrics -> simulations (one trigger query
--      per row; the writer inserts a snapshot, its approaches and its run in one statement, and
--      deleting a run deletes from every table itself);
--    - the primary key of signal_states (a snapshot's approaches are inserted only with the
--      snapshot itself, which performance_metrics' key makes unique, and validation makes the
--      directions of one snapshot distinct);
--    - performance_metrics' time index (time ranges now read the minute rollups).
ALTER TABLE signal_states DROP CONSTRAINT signal_states_simulation_id_intersection_id_timestamp_fkey;
ALTER TABLE performance_metrics DROP CONSTRAINT performance_metrics_simulation_id_fkey;
ALTER TABLE signal_states DROP CONSTRAINT signal_states_pkey;
DROP INDEX signal_states_vehicle_counts_idx;
DROP INDEX performance_metrics_timestamp_idx;

-- 2. Rollups, kept in the same statement (so the same transaction) as the rows they sum; each
--    row is exactly the aggregate of the stored rows it covers.

-- Per run, intersection and UTC minute [minute, minute + 1 min): the count, sum, min and max of
-- every per-snapshot figure.
CREATE TABLE snapshot_minutes (
  simulation_id        text NOT NULL,
  intersection_id      text NOT NULL,
  minute               timestamptz NOT NULL,
  snapshots            bigint NOT NULL,
  wait_sum             double precision NOT NULL,
  wait_min             double precision NOT NULL,
  wait_max             double precision NOT NULL,
  speed_sum            double precision NOT NULL,
  speed_min            double precision NOT NULL,
  speed_max            double precision NOT NULL,
  throughput_sum       double precision NOT NULL,
  throughput_min       double precision NOT NULL,
  throughput_max       double precision NOT NULL,
  vehicles_sum         bigint NOT NULL,
  vehicles_min         bigint NOT NULL,
  vehicles_max         bigint NOT NULL,
  fuel_sum             double precision NOT NULL,
  fuel_min             double precision NOT NULL,
  fuel_max             double precision NOT NULL,
  co2_sum              double precision NOT NULL,
  co2_min              double precision NOT NULL,
  co2_max              double precision NOT NULL,
  overrides_sum        bigint NOT NULL,
  overrides_min        bigint NOT NULL,
  overrides_max        bigint NOT NULL,
  PRIMARY KEY (simulation_id, intersection_id, minute)
);

-- Per run and direction, over the whole run: what the summary shows per approach.
CREATE TABLE direction_totals (
  simulation_id        text NOT NULL,
  direction            text NOT NULL,
  samples              bigint NOT NULL,
  wait_sum             double precision NOT NULL,
  vehicles_crossed     bigint NOT NULL,
  green_time_allocated bigint NOT NULL,
  green_samples        bigint NOT NULL,
  PRIMARY KEY (simulation_id, direction)
);

-- Per run and vehicle class, over the whole run: the summary's class mix.
CREATE TABLE vehicle_class_totals (
  simulation_id        text NOT NULL,
  vehicle_class        text NOT NULL,
  vehicles             bigint NOT NULL,
  PRIMARY KEY (simulation_id, vehicle_class)
);

-- 3. Existing data gets its rollups now (the same statements bench/sql/load_rollups.sql runs).
INSERT INTO snapshot_minutes
SELECT simulation_id, intersection_id,
       date_bin('1 minute', "timestamp", timestamptz '2000-01-01 00:00:00+00'),
       count(*),
       sum(avg_wait_time_all_sides), min(avg_wait_time_all_sides), max(avg_wait_time_all_sides),
       sum(avg_speed), min(avg_speed), max(avg_speed),
       sum(throughput), min(throughput), max(throughput),
       sum(total_vehicles_passed), min(total_vehicles_passed), max(total_vehicles_passed),
       sum(fuel_saved), min(fuel_saved), max(fuel_saved),
       sum(co2_saved), min(co2_saved), max(co2_saved),
       sum(emergency_overrides), min(emergency_overrides), max(emergency_overrides)
FROM performance_metrics
GROUP BY 1, 2, 3;

INSERT INTO direction_totals
SELECT simulation_id, direction, count(*), sum(avg_wait_time), sum(vehicles_crossed),
       sum(green_time_allocated), count(*) FILTER (WHERE signal_status = 'GREEN')
FROM signal_states
GROUP BY 1, 2;

INSERT INTO vehicle_class_totals
SELECT ss.simulation_id, c.key, sum(c.value::bigint)
FROM signal_states AS ss
CROSS JOIN LATERAL jsonb_each_text(ss.vehicle_counts) AS c
GROUP BY 1, 2;
