-- wrk script (Lua 5.1 / LuaJIT): each request is a random line of a file, "COOKIE<TAB>PATH": a
-- signed-in portal customer's session cookie and a page or API path of theirs.
--
--   wrk -t2 -c8 -d10s --latency -s bench/portal/visits.lua http://127.0.0.1:PORT -- VISITS_FILE
--
-- done() prints the same BENCH_RESULT line as bench/api/paths.lua.

local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

local reqs = {}
local n = 0

function init(args)
  local f, err = io.open(args[1] or "", "r")
  if f == nil then error("cannot open " .. tostring(args[1]) .. ": " .. tostring(err)) end
  for line in f:lines() do
    local cookie, path = line:match("^([^\t]+)\t(.+)$")
    if cookie then
      n = n + 1
      reqs[n] = wrk.format("GET", path, { ["Cookie"] = cookie })
    end
  end
  f:close()
  if n == 0 then error("no visits in " .. tostring(args[1])) end
  math.randomseed(os.time() + (thread_id or 0) * 7919)
  math.random(); math.random(); math.random()
end

function request()
  return reqs[math.random(n)]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
