-- wrk script: a dashboard's mix of reads against the runs bench/wrk/snapshots.lua writes. Each
-- request takes the next path of the list; simulation ids are those of snapshots.lua's first
-- thread (BENCH_<RUN>_0_<sim>), so the answers cover data that keeps growing.
-- Environment: RUN (as for snapshots.lua), SIMS (how many of its runs to ask about), POLL_MS
-- (pause after each answer, default 20).
local run = os.getenv("RUN") or "soak"
local sims = tonumber(os.getenv("SIMS") or "4")
local poll_ms = tonumber(os.getenv("POLL_MS") or "20")

local paths = {}
for s = 0, sims - 1 do
  local id = string.format("BENCH_%s_0_%d", run, s)
  paths[#paths + 1] = "/api/v1/analytics/simulation/" .. id .. "/summary"
  paths[#paths + 1] = "/api/v1/analytics/time-series/" .. id .. "?bucket=1m"
  paths[#paths + 1] = "/api/v1/charts/wait-time-trend?simulation_id=" .. id .. "&bucket=5m"
end
paths[#paths + 1] = "/api/v1/dashboard/live-metrics"
paths[#paths + 1] = "/api/v1/simulations"
paths[#paths + 1] = "/api/v1/charts/performance-scatter"
paths[#paths + 1] = "/metrics"

local i = 0
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function delay()
  return poll_ms
end
