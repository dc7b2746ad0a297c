-- wrk script: posts unique, realistic snapshots (4 approaches each) to the ingest endpoints.
-- Environment: BATCH (snapshots per request; 0 = one snapshot per request to
-- /api/v1/ingest/simulation), SIMS (simulations per wrk thread), INTERSECTIONS, RUN (a tag that
-- keeps the keys of separate runs apart).
--
-- Keys: simulation BENCH_<RUN>_<thread>_<sim>, intersection INT_<nnn>, one timestamp per tick (1 s
-- apart); a tick advances once every simulation and intersection of the thread has had one, so no
-- key repeats within a wrk run, and RUN keeps runs apart.
--
-- Kept cheap, because wrk shares the machine's cores with the server and PostgreSQL: a snapshot is
-- one concatenation of ready-made parts. The timestamp is formatted once per tick; the approaches
-- and metrics depend on u = (tick + intersection) mod 600 only, so at most 600 such tails exist,
-- each formatted once and then reused (values still vary from snapshot to snapshot and repeat
-- only every 600 ticks).
local batch = tonumber(os.getenv("BATCH") or "1000")
local sims = tonumber(os.getenv("SIMS") or "4")
local intersections = tonumber(os.getenv("INTERSECTIONS") or "8")
local run = os.getenv("RUN") or tostring(os.time())

local next_thread = 0
function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local fmt = string.format
local directions = { "north", "east", "south", "west" }
local statuses = { "GREEN", "RED", "GREEN", "RED" }
local base_time = 1757546400 -- 2025-09-10T23:20:00Z

local sim_head = {} -- per simulation: '{"simulation_id":"...","mode":"...",'
local int_part = {} -- per intersection: '"intersection_id":"INT_007",'

-- Runs in each thread after setup(), so thread_id is known.
function init(args)
  for sim = 0, sims - 1 do
    sim_head[sim] = fmt('{"simulation_id":"BENCH_%s_%d_%d","mode":"%s",', run, thread_id, sim,
                        (sim % 2 == 0) and "baseline" or "ai")
  end
  for int = 0, intersections - 1 do
    int_part[int] = fmt('"intersection_id":"INT_%03d",', int)
  end
end

local function signal(d, t)
  local cars = (t * 7 + d * 13) % 90
  return fmt(
    '{"direction":"%s","vehicle_counts":{"car":%d,"bus":%d,"truck":%d,"bike":%d,"rickshaw":%d},' ..
    '"emergency_vehicle_present":%s,"signal_status":"%s","signal_timer":%d,"vehicles_crossed":%d,' ..
    '"avg_wait_time":%.2f,"green_time_allocated":%d}',
    directions[d], cars, t % 3, t % 5, (t + d) % 7, t % 2, (t % 97 == 0) and "true" or "false",
    statuses[(d + t) % 4 + 1], t % 30, cars % 40, 5 + (cars % 50) / 2, 20 + d)
end

-- The rest of a snapshot after its keys: approaches and metrics for u.
local function make_tail(u)
  return fmt(
    '"signals":[%s,%s,%s,%s],"metrics":{"total_vehicles_passed":%d,' ..
    '"avg_wait_time_all_sides":%.2f,"throughput":%.3f,"avg_speed":%.2f,"fuel_saved":%.2f,' ..
    '"co2_saved":%.2f,"emergency_overrides":%d}}',
    signal(1, u), signal(2, u), signal(3, u), signal(4, u), 80 + u % 50, 10 + (u % 200) / 10,
    0.5 + (u % 50) / 100, 20 + (u % 150) / 10, (u % 40) / 10 - 1, (u % 90) / 10 - 2,
    (u % 97 == 0) and 1 or 0)
end

local period = 600
local tail_cache = {} -- u -> tail, filled on first use

local function tail_for(u)
  local tail = tail_cache[u]
  if not tail then
    tail = make_tail(u)
    tail_cache[u] = tail
  end
  return tail
end

local tick = 0         -- snapshots made by this thread so far
local current_t = -1   -- the tick the parts below were made for
local time_part = ""   -- '"timestamp":"...",'
local tails = {}       -- per intersection: signals and metrics, closing the object

local function prepare_tick(t)
  time_part = fmt('"timestamp":"%s",', os.date("!%Y-%m-%dT%H:%M:%SZ", base_time + t))
  for int = 0, intersections - 1 do
    tails[int] = tail_for((t + int) % period)
  end
  current_t = t
end

-- The next snapshot of this thread, as its four parts (joined, they are the JSON object).
local function snapshot_parts()
  local per_tick = sims * intersections
  local t = math.floor(tick / per_tick)
  local slot = tick % per_tick
  tick = tick + 1
  if t ~= current_t then
    prepare_tick(t)
  end
  local int = slot % intersections
  return sim_head[math.floor(slot / intersections)], time_part, int_part[int], tails[int]
end

-- The request is written by hand rather than with wrk.format: the parts of every snapshot go into
-- one table and are joined once, so a 1 MB batch is copied once instead of four times.
local function post(path, parts, body_length)
  parts[1] = fmt("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n" ..
                 "Content-Length: %d\r\n\r\n", path, wrk.headers["Host"], body_length)
  return table.concat(parts)
end

function request()
  if batch == 0 then
    local a, b, c, d = snapshot_parts()
    return post("/api/v1/ingest/simulation", { "", a, b, c, d }, #a + #b + #c + #d)
  end
  local parts, n, length = { "" }, 1, 1
  for i = 1, batch do
    local a, b, c, d = snapshot_parts()
    parts[n + 1] = (i == 1) and "[" or ","
    parts[n + 2] = a
    parts[n + 3] = b
    parts[n + 4] = c
    parts[n + 5] = d
    n = n + 5
    length = length + 1 + #a + #b + #c + #d
  end
  parts[n + 1] = "]"
  return post("/api/v1/ingest/batch", parts, length)
end
