-- Per-connection staging tables the writer COPYs a batch into; emptied at every commit.
-- seq is the snapshot's index in the batch; signal rows point at their snapshot by seq.
CREATE TEMP TABLE IF NOT EXISTS staging_snapshots (
  seq                     integer NOT NULL,
  simulation_id           text NOT NULL,
  intersection_id         text NOT NULL,
  "timestamp"             timestamptz NOT NULL,
  mode                    text NULL,
  scenario                text NULL,
  total_vehicles_passed   bigint NOT NULL,
  avg_wait_time_all_sides double precision NOT NULL,
  throughput              double precision NOT NULL,
  avg_speed               double precision NOT NULL,
  fuel_saved              double precision NOT NULL,
  co2_saved               double precision NOT NULL,
  emergency_overrides     bigint NOT NULL
) ON COMMIT DELETE ROWS;

CREATE TEMP TABLE IF NOT EXISTS staging_signals (
  seq                       integer NOT NULL,
  direction                 text NOT NULL,
  signal_status             text NOT NULL,
  signal_timer              bigint NOT NULL,
  vehicles_crossed          bigint NOT NULL,
  avg_wait_time             double precision NOT NULL,
  green_time_allocated      bigint NOT NULL,
  emergency_vehicle_present boolean NOT NULL,
  vehicle_counts            jsonb NOT NULL
) ON COMMIT DELETE ROWS;
