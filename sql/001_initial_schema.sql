-- Initial schema: simulation runs, one performance row per snapshot, one signal row per approach.
-- schema_migrations is created by the migrator itself (storage/migrator.cpp), not here.

CREATE TABLE simulations (
  id              text PRIMARY KEY,
  mode            text NULL CHECK (mode IN ('baseline', 'ai')),
  scenario        text NULL,
  first_timestamp timestamptz NOT NULL,          -- earliest snapshot time
  last_timestamp  timestamptz NOT NULL,          -- latest snapshot time
  first_seen      timestamptz NOT NULL DEFAULT now(), -- wall clock of the first write
  last_seen       timestamptz NOT NULL DEFAULT now(), -- wall clock of the latest write
  snapshot_count  bigint NOT NULL DEFAULT 0 CHECK (snapshot_count >= 0),
  CHECK (first_timestamp <= last_timestamp)
);

CREATE TABLE performance_metrics (
  simulation_id           text NOT NULL REFERENCES simulations (id) ON DELETE CASCADE,
  intersection_id         text NOT NULL,
  "timestamp"             timestamptz NOT NULL,
  mode                    text NULL CHECK (mode IN ('baseline', 'ai')),
  total_vehicles_passed   bigint NOT NULL CHECK (total_vehicles_passed >= 0),
  avg_wait_time_all_sides double precision NOT NULL
    CHECK (avg_wait_time_all_sides >= 0 AND avg_wait_time_all_sides < 'Infinity'),
  throughput              double precision NOT NULL
    CHECK (throughput >= 0 AND throughput < 'Infinity'),
  avg_speed               double precision NOT NULL
    CHECK (avg_speed >= 0 AND avg_speed < 'Infinity'),
  fuel_saved              double precision NOT NULL
    CHECK (fuel_saved > '-Infinity' AND fuel_saved < 'Infinity'),
  co2_saved               double precision NOT NULL
    CHECK (co2_saved > '-Infinity' AND co2_saved < 'Infinity'),
  emergency_overrides     bigint NOT NULL CHECK (emergency_overrides >= 0),
  received_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (simulation_id, intersection_id, "timestamp")
);

-- Time range queries across simulations (the primary key serves per-simulation ones).
CREATE INDEX performance_metrics_timestamp_idx ON performance_metrics ("timestamp");

CREATE TABLE signal_states (
  simulation_id             text NOT NULL,
  intersection_id           text NOT NULL,
  "timestamp"               timestamptz NOT NULL,
  direction                 text NOT NULL CHECK (direction IN ('north', 'north_east', 'east',
                              'south_east', 'south', 'south_west', 'west', 'north_west')),
  signal_status             text NOT NULL CHECK (signal_status IN ('GREEN', 'YELLOW', 'RED')),
  signal_timer              bigint NOT NULL CHECK (signal_timer >= 0),
  vehicles_crossed          bigint NOT NULL CHECK (vehicles_crossed >= 0),
  avg_wait_time             double precision NOT NULL
    CHECK (avg_wait_time >= 0 AND avg_wait_time < 'Infinity'),
  green_time_allocated      bigint NOT NULL CHECK (green_time_allocated >= 0),
  emergency_vehicle_present boolean NOT NULL,
  vehicle_counts            jsonb NOT NULL CHECK (jsonb_typeof(vehicle_counts) = 'object'),
  PRIMARY KEY (simulation_id, intersection_id, "timestamp", direction),
  FOREIGN KEY (simulation_id, intersection_id, "timestamp")
    REFERENCES performance_metrics (simulation_id, intersection_id, "timestamp") ON DELETE CASCADE
);

-- The seed's indexes: per-simulation time ranges, and containment queries on the class counts.
CREATE INDEX signal_states_simulation_timestamp_idx ON signal_states (simulation_id, "timestamp");
CREATE INDEX signal_states_vehicle_counts_idx ON signal_states USING gin (vehicle_counts);
