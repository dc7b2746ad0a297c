-- Runs that have both a mode and a scenario, by id: the runs a scenario comparison or the
-- performance dashboard compares.
-- $1 = scenario, or NULL for every scenario.
SELECT id, mode, scenario
FROM simulations
WHERE mode IS NOT NULL
  AND scenario IS NOT NULL
  AND ($1::text IS NULL OR scenario = $1::text)
ORDER BY id COLLATE "C"
