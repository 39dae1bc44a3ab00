-- wrk script (Lua 5.1 / LuaJIT): each request is a random line of a file,
-- "METHOD<TAB>PATH[<TAB>BODY[<TAB>COOKIE]]" (a cookie per line: many signed-in visitors).
--
--   wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $TOKEN" \
--       -s bench/api/requests.lua http://127.0.0.1:PORT -- REQUESTS_FILE
--
-- Bodies are sent as JSON. done() prints the same BENCH_RESULT line as paths.lua.

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
    local method, path, body, cookie = line:match("^(%u+)\t([^\t]+)\t?([^\t]*)\t?(.*)$")
    if method then
      n = n + 1
      -- a headers table replaces wrk.headers (the -H ones), so it carries them too
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
      if cookie ~= "" then headers["Cookie"] = cookie end
      reqs[n] = wrk.format(method, path, headers, body)
    end
  end
  f:close()
  if n == 0 then error("no requests in " .. args[1]) end
  math.randomseed(os.time() + (thread_id or 0) * 7919)
  math.random(); math.random(); math.random()
end

function request()
  return reqs[math.random(n)]
end

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
