-- Runs without a new snapshot for longer than the retention period: the oldest first, at most
-- $2 of them. $1 = retention in days. last_seen is the wall clock of a run's latest write, so a
-- replay of old simulated time is kept as long as a live run.
SELECT id
FROM simulations
WHERE last_seen < now() - make_interval(days => $1::int)
ORDER BY last_seen
LIMIT $2::int
