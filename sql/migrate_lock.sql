-- Serialises migrators (two servers starting at once) until the end of the transaction.
-- The key is a fixed constant of this product: ASCII "trafmigr".
SELECT pg_advisory_xact_lock(8390876148294838130)
