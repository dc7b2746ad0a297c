-- A trivial round trip: proves the connection works.
SELECT 1
