-- wrk script: dashboards polling a GET path. Each connection waits POLL_MS milliseconds (default
-- 10) after every answer before asking again, so 4 connections make about 400 requests/s at most:
-- a busy wall of dashboards, not a flood that would take the cores the ingest load is measured on.
-- POLL_MS=0 polls as fast as wrk can.
local poll_ms = tonumber(os.getenv("POLL_MS") or "10")

function delay()
  return poll_ms
end
