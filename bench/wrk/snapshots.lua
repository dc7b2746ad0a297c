-- wrk script: posts unique, realistic snapshots (4 approaches each) to the ingest endpoints.
-- Environment: BATCH (snapshots per request; 0 = one snapshot per request to
-- /api/v1/ingest/simulation), SIMS (simulations per wrk thread), INTERSECTIONS, RUN (a tag that
-- keeps the keys of separate runs apart).
local batch = tonumber(os.getenv("BATCH") or "1000")
local sims = tonumber(os.getenv("SIMS") or "4")
local intersections = tonumber(os.getenv("INTERSECTIONS") or "8")
local run = os.getenv("RUN") or tostring(os.time())

local next_thread = 0
function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local directions = { "north", "east", "south", "west" }
local statuses = { "GREEN", "RED", "GREEN", "RED" }
local base_time = 1757546400 -- 2025-09-10T23:20:00Z
local tick = 0

local function signal(d, t)
  local cars = (t * 7 + d * 13) % 90
  return string.format(
    '{"direction":"%s","vehicle_counts":{"car":%d,"bus":%d,"truck":%d,"bike":%d,"rickshaw":%d},' ..
    '"emergency_vehicle_present":%s,"signal_status":"%s","signal_timer":%d,"vehicles_crossed":%d,' ..
    '"avg_wait_time":%.2f,"green_time_allocated":%d}',
    directions[d], cars, t % 3, t % 5, (t + d) % 7, t % 2, (t % 97 == 0) and "true" or "false",
    statuses[(d + t) % 4 + 1], t % 30, cars % 40, 5 + (cars % 50) / 2, 20 + d)
end

-- Each call yields the next snapshot of this thread: ticks advance once every simulation and
-- intersection has had one, so keys never repeat within a run.
local function snapshot()
  local per_tick = sims * intersections
  local t = math.floor(tick / per_tick)
  local slot = tick % per_tick
  tick = tick + 1
  local sim = math.floor(slot / intersections)
  local int = slot % intersections
  local signals = {}
  for d = 1, 4 do
    signals[d] = signal(d, t + int)
  end
  return string.format(
    '{"simulation_id":"BENCH_%s_%d_%d","timestamp":"%s","intersection_id":"INT_%03d",' ..
    '"mode":"%s","signals":[%s],"metrics":{"total_vehicles_passed":%d,' ..
    '"avg_wait_time_all_sides":%.2f,"throughput":%.3f,"avg_speed":%.2f,"fuel_saved":%.2f,' ..
    '"co2_saved":%.2f,"emergency_overrides":%d}}',
    run, thread_id, sim, os.date("!%Y-%m-%dT%H:%M:%SZ", base_time + t), int,
    (sim % 2 == 0) and "baseline" or "ai", table.concat(signals, ","), 80 + t % 50,
    10 + (t % 200) / 10, 0.5 + (t % 50) / 100, 20 + (t % 150) / 10, (t % 40) / 10 - 1,
    (t % 90) / 10 - 2, (t % 97 == 0) and 1 or 0)
end

function request()
  if batch == 0 then
    return wrk.format("POST", "/api/v1/ingest/simulation",
                      { ["Content-Type"] = "application/json" }, snapshot())
  end
  local items = {}
  for i = 1, batch do
    items[i] = snapshot()
  end
  return wrk.format("POST", "/api/v1/ingest/batch", { ["Content-Type"] = "application/json" },
                    "[" .. table.concat(items, ",") .. "]")
end
