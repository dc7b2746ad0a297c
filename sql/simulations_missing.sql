-- The ids among a list that name no simulation, in list order.
-- $1 = the ids as a JSON array text (e.g. ["SIM_1","SIM_2"]).
SELECT ids.id
FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS ids(id, position)
WHERE NOT EXISTS (SELECT 1 FROM simulations AS sim WHERE sim.id = ids.id)
ORDER BY ids.position
