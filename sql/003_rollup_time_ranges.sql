-- How a time filter [from, to] (inclusive; NULL = open) splits between the minute rollups and
-- the snapshots, for queries bucketed by `width_seconds`: shared by series_buckets.sql and
-- trend_buckets.sql. Returns half-open [start, stop) ranges, each tagged with its source:
-- - 'rollup': the minutes wholly inside [from, to], when the width is whole minutes;
-- - 'raw': everything else (the partial minutes at the edges, or the whole range when the
--   width is not whole minutes). Empty ranges are left out.
-- STABLE, a single SELECT: PostgreSQL inlines it into the calling query.
CREATE FUNCTION rollup_time_ranges(from_time timestamptz, to_time timestamptz,
                                   width_seconds bigint)
RETURNS TABLE (source text, start timestamptz, stop timestamptz)
LANGUAGE sql STABLE
AS $$
  WITH params AS (
    SELECT width_seconds % 60 = 0 AS by_minute,
           coalesce(from_time, '-infinity') AS lo,
           coalesce(to_time + interval '1 microsecond', 'infinity') AS hi,
           -- the first whole minute starts at or after from; the last one ends by to
           CASE WHEN from_time IS NULL THEN '-infinity'
                ELSE date_bin('1 minute', from_time + interval '59.999999 seconds',
                              timestamptz '2000-01-01 00:00:00+00')
           END AS whole_from,
           CASE WHEN to_time IS NULL THEN 'infinity'
                ELSE date_bin('1 minute', to_time + interval '1 microsecond',
                              timestamptz '2000-01-01 00:00:00+00')
           END AS whole_to
  ),
  ranges AS (
    SELECT 'raw' AS source, lo AS start, hi AS stop FROM params WHERE NOT by_minute
    UNION ALL
    SELECT 'raw', lo, least(whole_from, hi) FROM params WHERE by_minute
    UNION ALL
    SELECT 'raw', greatest(whole_to, whole_from), hi FROM params WHERE by_minute
    UNION ALL
    SELECT 'rollup', whole_from, whole_to FROM params WHERE by_minute
  )
  SELECT source, start, stop FROM ranges WHERE start < stop
$$;
