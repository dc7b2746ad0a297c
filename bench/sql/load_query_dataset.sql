-- Loads a synthetic data set straight into the schema for the query benchmarks (no HTTP: loading
-- a million snapshots through ingest would measure ingest). psql variables: sims, ints, ticks.
-- Runs alternate baseline/AI in pairs sharing a scenario; ticks are 1 s apart; 4 approaches.
-- Values are deterministic functions of (s, i, t) with enough spread for percentiles.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO simulations (id, mode, scenario, first_timestamp, last_timestamp, snapshot_count)
SELECT format('BENCH_%s', lpad(s::text, 2, '0')),
       CASE WHEN s % 2 = 0 THEN 'baseline' ELSE 'ai' END,
       format('scenario_%s', s / 2),
       timestamptz '2025-09-10 00:00:00+00',
       timestamptz '2025-09-10 00:00:00+00' + (:ticks - 1) * interval '1 second',
       :ints::bigint * :ticks
FROM generate_series(0, :sims - 1) AS s;

INSERT INTO performance_metrics (
  simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
  avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved, emergency_overrides)
SELECT format('BENCH_%s', lpad(s::text, 2, '0')),
       format('INT_%s', lpad(i::text, 3, '0')),
       timestamptz '2025-09-10 00:00:00+00' + t * interval '1 second',
       CASE WHEN s % 2 = 0 THEN 'baseline' ELSE 'ai' END,
       100 + (t % 50),
       20 - 2 * (s % 2) + ((i * 7 + t * 13) % 100) / 10.0,
       0.5 + ((t * 3 + i) % 10) / 100.0,
       25 + ((t + i * 5) % 20),
       ((t % 20) - 5) / 10.0,
       ((t % 30) - 5) / 10.0,
       CASE WHEN t % 600 = 0 THEN 1 ELSE 0 END
FROM generate_series(0, :sims - 1) AS s,
     generate_series(0, :ints - 1) AS i,
     generate_series(0, :ticks - 1) AS t;

INSERT INTO signal_states (
  simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
  vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
  vehicle_counts)
SELECT pm.simulation_id, pm.intersection_id, pm."timestamp", d.direction,
       CASE (pm.total_vehicles_passed / 10 + d.k) % 4 WHEN 0 THEN 'GREEN' WHEN 1 THEN 'YELLOW'
            ELSE 'RED' END,
       pm.total_vehicles_passed % 30,
       (pm.total_vehicles_passed + d.k) % 12,
       pm.avg_wait_time_all_sides + d.k,
       20 + 5 * d.k,
       d.k = 0 AND pm.total_vehicles_passed % 50 < 3,
       jsonb_build_object('car', 10 + (pm.total_vehicles_passed + d.k) % 30,
                          'bus', d.k, 'truck', pm.total_vehicles_passed % 4, 'bike', 1,
                          'rickshaw', (pm.total_vehicles_passed + d.k) % 2)
FROM performance_metrics AS pm
CROSS JOIN (VALUES (0, 'north'), (1, 'east'), (2, 'south'), (3, 'west')) AS d (k, direction);
COMMIT;
ANALYZE;
