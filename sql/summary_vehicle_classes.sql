-- Vehicle class mix of one simulation ($1 = simulation id): the sum of each class's count over
-- every approach of every snapshot (kept by the writer in vehicle_class_totals, sql/002), by
-- class name in byte order.
SELECT vehicle_class,
       vehicles
FROM vehicle_class_totals
WHERE simulation_id = $1
ORDER BY vehicle_class COLLATE "C"
