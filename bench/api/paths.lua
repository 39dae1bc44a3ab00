-- wrk script (Lua 5.1 / LuaJIT): each request GETs a random path from a file.
--
--   wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $TOKEN" \
--       -s bench/api/paths.lua http://127.0.0.1:PORT -- PATHS_FILE [PREFIX]
--
-- PATHS_FILE has one entry per line; each request uses PREFIX .. entry (so a
-- file of ids with PREFIX "/api/v1/customers/" gives random GET-by-id).
-- Entries must already be URL-encoded. Headers given with -H are sent with
-- every request (wrk.format uses wrk.headers).
--
-- done() prints one machine-readable line for bench/api/run.sh:
--   BENCH_RESULT requests=… duration_us=… rps=… p50_us=… p90_us=… p99_us=…
--   max_us=… connect=… read=… write=… timeout=… non2xx=…

local thread_counter = 0

-- Runs in the main Lua state once per thread before it starts: number the
-- threads so that each seeds its random generator differently.
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

local paths = {}
local npaths = 0

-- Runs in each thread's own Lua state with the arguments after "--".
function init(args)
  local file = args[1]
  local prefix = args[2] or ""
  if file == nil then
    error("usage: -s paths.lua URL -- PATHS_FILE [PREFIX]")
  end
  local f, err = io.open(file, "r")
  if f == nil then
    error("cannot open " .. file .. ": " .. tostring(err))
  end
  for line in f:lines() do
    line = line:gsub("\r$", "")
    if line ~= "" then
      npaths = npaths + 1
      paths[npaths] = prefix .. line
    end
  end
  f:close()
  if npaths == 0 then
    error("no paths in " .. file)
  end
  local id = thread_id or 0
  math.randomseed(os.time() + id * 7919)
  -- the first values after seeding are poorly mixed in some Lua builds
  math.random(); math.random(); math.random()
end

function request()
  return wrk.format(nil, paths[math.random(npaths)])
end

-- Runs once in the main state after all threads stop.
function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
