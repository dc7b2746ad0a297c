-- Writes, in COPY text format on stdout, the rows bench/run's COPY ceiling loads: the same data
-- bench/wrk/snapshots.lua posts (same formulas, 1 s ticks, 4 approaches per snapshot), so the
-- ceiling and the HTTP ingest figures store comparable rows.
-- psql variables: kind (performance_metrics or signal_states), tag (part of the run ids, e.g. A),
-- sims, ints, ticks. Run ids are COPY_<tag>_<sim>; rows come in primary-key order.
-- The columns are those named in bench/run's \copy commands (received_at keeps its default).
\set ON_ERROR_STOP on
SELECT :'kind' = 'performance_metrics' AS want_metrics \gset

\if :want_metrics
COPY (
  SELECT format('COPY_%s_%s', :'tag', s), format('INT_%s', lpad(i::text, 3, '0')),
         to_timestamp(1757546400 + t),
         CASE WHEN s % 2 = 0 THEN 'baseline' ELSE 'ai' END,
         80 + u % 50, 10 + (u % 200) / 10.0::float8, 0.5 + (u % 50) / 100.0::float8, 20 + (u % 150) / 10.0::float8,
         (u % 40) / 10.0::float8 - 1, (u % 90) / 10.0::float8 - 2, CASE WHEN u % 97 = 0 THEN 1 ELSE 0 END
  FROM generate_series(0, :sims - 1) AS s
  CROSS JOIN LATERAL generate_series(0, :ints - 1 + 0 * s) AS i
  CROSS JOIN LATERAL generate_series(0, :ticks - 1 + 0 * i) AS t
  CROSS JOIN LATERAL (SELECT t + i AS u) AS v
) TO STDOUT;
\else
COPY (
  SELECT format('COPY_%s_%s', :'tag', s), format('INT_%s', lpad(i::text, 3, '0')),
         to_timestamp(1757546400 + t),
         (ARRAY['north', 'east', 'south', 'west'])[d],
         CASE WHEN (d + u) % 2 = 0 THEN 'GREEN' ELSE 'RED' END,
         u % 30, cars % 40, 5 + (cars % 50) / 2.0::float8, 20 + d, u % 97 = 0,
         jsonb_build_object('car', cars, 'bus', u % 3, 'truck', u % 5, 'bike', (u + d) % 7,
                            'rickshaw', u % 2)
  FROM generate_series(0, :sims - 1) AS s
  CROSS JOIN LATERAL generate_series(0, :ints - 1 + 0 * s) AS i
  CROSS JOIN LATERAL generate_series(0, :ticks - 1 + 0 * i) AS t
  CROSS JOIN LATERAL (SELECT t + i AS u) AS v
  CROSS JOIN LATERAL generate_series(1, 4 + 0 * t) AS d
  CROSS JOIN LATERAL (SELECT ((t + i) * 7 + d * 13) % 90 AS cars) AS c
) TO STDOUT;
\endif
