-- Fills the rollup tables from the raw tables after bench/run has loaded the query data set
-- (bench/sql/load_query_dataset.sql). Empty for now: the schema has no rollup tables yet. Whoever
-- adds them (a migration in sql/) puts here the statements that bring them in line with
-- performance_metrics and signal_states, as the server would have maintained them at write time.
-- bench/run runs this file with psql on the bench_query database (ON_ERROR_STOP on) and includes
-- its text in the data-set cache key, so editing it rebuilds the cached data set.
\set ON_ERROR_STOP on
