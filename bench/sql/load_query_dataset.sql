-- Loads a synthetic data set straight into the schema for the query benchmarks (no HTTP: loading
-- millions of snapshots through ingest would measure ingest). Run it on a freshly migrated,
-- empty database; it replaces whatever the three raw tables hold.
--
-- psql variables: sims (runs), ints (intersections per run), ticks (snapshots per intersection);
-- optional tick_seconds (default 2). bench/run's default is 20 x 10 x 50,000 = 10,000,000
-- snapshots, 2 s apart from 2025-09-10T00:00:00Z, so one run spans ~27.8 hours and a one-day time
-- series exists. Runs BENCH_00, BENCH_01, ... alternate baseline (even) and AI (odd) in pairs
-- sharing a scenario (scenario_0 = BENCH_00 + BENCH_01, ...); 4 approaches per snapshot.
-- Values are deterministic functions of (run, intersection, tick) with enough spread for
-- percentiles and a rush-hour bump (07-09h and 17-19h UTC) so hourly figures differ.
--
-- Made for speed, since the set is big (10M snapshots, 40M approach rows):
-- * the tables are truncated in the loading transaction: with wal_level=minimal (bench/run loads
--   on a cluster started that way, fsync off) PostgreSQL then writes no WAL for the rows;
-- * session_replication_role=replica skips the per-row foreign-key triggers: every approach row
--   has its snapshot by construction, and the constraints stay as the migrations made them;
-- * the secondary indexes (not the primary keys) are dropped before and rebuilt after, in bulk
--   (a GIN index on 40M jsonb values is far cheaper built once than maintained per row);
-- * approach rows come from generate_series directly, not from a join on performance_metrics.
\set ON_ERROR_STOP on
\if :{?tick_seconds}
\else
\set tick_seconds 2
\endif

BEGIN;
SET LOCAL session_replication_role = replica;
SET LOCAL synchronous_commit = off;
TRUNCATE simulations, performance_metrics, signal_states CASCADE;

-- One row per snapshot with its derived figures, written once for both tables; the view is
-- inlined into each INSERT, so nothing is materialised. The LATERAL references make the row order
-- run, intersection, tick: primary-key order, so the key indexes grow at their right edge. The
-- ids are formatted once per run and per intersection, not once per row.
CREATE TEMP VIEW bench_snapshot_rows AS
SELECT sim.s, ix.i, t, sim.simulation_id, ix.intersection_id, sim.mode,
       timestamptz '2025-09-10 00:00:00+00' + t * :tick_seconds * interval '1 second' AS ts,
       100 + (t % 50) AS vehicles,
       20 - 2 * (sim.s % 2) + ((ix.i * 7 + t * 13) % 100) / 10.0::float8
         + CASE WHEN (t * :tick_seconds / 3600) % 24 IN (7, 8, 17, 18) THEN 8 ELSE 0 END AS wait
FROM (SELECT s, format('BENCH_%s', lpad(s::text, 2, '0')) AS simulation_id,
             CASE WHEN s % 2 = 0 THEN 'baseline' ELSE 'ai' END AS mode
      FROM generate_series(0, :sims - 1) AS s) AS sim
CROSS JOIN LATERAL (SELECT i, format('INT_%s', lpad(i::text, 3, '0')) AS intersection_id
                    FROM generate_series(0, :ints - 1 + 0 * sim.s) AS i) AS ix
CROSS JOIN LATERAL generate_series(0, :ticks - 1 + 0 * ix.i) AS t;

-- Secondary indexes of the raw tables (those backing no constraint), rebuilt after the load.
CREATE TEMP TABLE bench_deferred_indexes ON COMMIT DROP AS
SELECT ix.indexrelid::regclass::text AS name, pg_get_indexdef(ix.indexrelid) AS definition
FROM pg_index AS ix
WHERE ix.indrelid IN ('performance_metrics'::regclass, 'signal_states'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = ix.indexrelid);
SELECT format('DROP INDEX %s', name) FROM bench_deferred_indexes
\gexec

INSERT INTO simulations (id, mode, scenario, first_timestamp, last_timestamp, snapshot_count)
SELECT format('BENCH_%s', lpad(s::text, 2, '0')),
       CASE WHEN s % 2 = 0 THEN 'baseline' ELSE 'ai' END,
       format('scenario_%s', s / 2),
       timestamptz '2025-09-10 00:00:00+00',
       timestamptz '2025-09-10 00:00:00+00' + (:ticks - 1) * :tick_seconds * interval '1 second',
       :ints::bigint * :ticks
FROM generate_series(0, :sims - 1) AS s;

INSERT INTO performance_metrics (
  simulation_id, intersection_id, "timestamp", mode, total_vehicles_passed,
  avg_wait_time_all_sides, throughput, avg_speed, fuel_saved, co2_saved, emergency_overrides)
SELECT simulation_id, intersection_id, ts, mode, vehicles, wait,
       0.5 + ((t * 3 + i) % 10) / 100.0::float8,
       25 + ((t + i * 5) % 20),
       ((t % 20) - 5) / 10.0::float8,
       ((t % 30) - 5) / 10.0::float8,
       CASE WHEN t % 600 = 0 THEN 1 ELSE 0 END
FROM bench_snapshot_rows;

INSERT INTO signal_states (
  simulation_id, intersection_id, "timestamp", direction, signal_status, signal_timer,
  vehicles_crossed, avg_wait_time, green_time_allocated, emergency_vehicle_present,
  vehicle_counts)
SELECT r.simulation_id, r.intersection_id, r.ts, d.direction,
       CASE (r.vehicles / 10 + d.k) % 4 WHEN 0 THEN 'GREEN' WHEN 1 THEN 'YELLOW' ELSE 'RED' END,
       r.vehicles % 30,
       (r.vehicles + d.k) % 12,
       r.wait + d.k,
       20 + 5 * d.k,
       d.k = 0 AND r.vehicles % 50 < 3,
       -- the class counts depend on (vehicles, k) only: 200 objects, built once, then indexed
       (SELECT array_agg(jsonb_build_object('car', 10 + (v + k) % 30, 'bus', k, 'truck', v % 4,
                                            'bike', 1, 'rickshaw', (v + k) % 2) ORDER BY v, k)
        FROM generate_series(100, 149) AS v, generate_series(0, 3) AS k)
         [(r.vehicles - 100) * 4 + d.k + 1]
FROM bench_snapshot_rows AS r
CROSS JOIN LATERAL (VALUES (0 + 0 * r.t, 'north'), (1, 'east'), (2, 'south'), (3, 'west'))
  AS d (k, direction);

SELECT definition FROM bench_deferred_indexes
\gexec
DROP VIEW bench_snapshot_rows;
COMMIT;
