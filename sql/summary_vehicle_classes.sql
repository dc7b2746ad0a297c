-- Vehicle class mix of one simulation ($1 = simulation id): the sum of each class's count over
-- every approach of every snapshot, by class name in byte order.
SELECT c.key AS vehicle_class,
       sum(c.value::bigint)::bigint AS vehicles
FROM signal_states AS ss
CROSS JOIN LATERAL jsonb_each_text(ss.vehicle_counts) AS c
WHERE ss.simulation_id = $1
GROUP BY c.key
ORDER BY c.key COLLATE "C"
