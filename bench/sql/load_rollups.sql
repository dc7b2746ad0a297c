-- Fills the rollup tables of migration 002 from the raw tables after bench/run has loaded the
-- query data set (bench/sql/load_query_dataset.sql): each rollup row is exactly the aggregate of
-- the raw rows it covers, as the server keeps them at write time (sql/write_rollups.sql). These
-- are migration 002's backfill statements, with one change that gives the same sums faster: the
-- vehicle-class totals expand each distinct class-count object once per run (times the number of
-- approach rows carrying it) instead of once per approach row.
-- bench/run runs this file with psql on the bench_query database and includes its text in the
-- data-set cache key, so editing it rebuilds the cached data set. The tables are emptied first,
-- in the same transaction: running it twice gives the same rows (and, with wal_level=minimal as
-- bench/run loads, the inserts skip WAL).
\set ON_ERROR_STOP on
BEGIN;
TRUNCATE snapshot_minutes, direction_totals, vehicle_class_totals;

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
SELECT g.simulation_id, c.key, sum(c.value::bigint * g.approaches)
FROM (SELECT simulation_id, vehicle_counts, count(*) AS approaches
      FROM signal_states
      GROUP BY 1, 2) AS g
CROSS JOIN LATERAL jsonb_each_text(g.vehicle_counts) AS c
GROUP BY 1, 2;
COMMIT;
