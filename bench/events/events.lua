-- wrk script: behaviour events as the tracking clients send them, with the source's write key as
-- Basic user. With a batch size after `--`, that many events per request to /v1/batch; without,
-- one /v1/track per request. Every event has a new message id (per thread and count), so each is
-- stored; one visitor in fifty identifies with an email no customer holds (the link look-up runs).
--
--   wrk -t2 -c16 -d10s --latency -H "Authorization: Basic $(printf '%s:' "$KEY" | base64 -w0)" \
--       -s bench/events/events.lua URL [-- 100 RUN_TAG]
local thread_counter = 0
local threads = {}
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
  table.insert(threads, thread)
end
per_s = {}
non200 = 0
function response(status, headers, body)
  local t = os.time()
  per_s[t] = (per_s[t] or 0) + 1
  if status ~= 200 then non200 = non200 + 1 end
end

local n = 0
local batch = 0
local run = "r"
local pages = {"/", "/茶/龙井", "/茶/碧螺春", "/cart", "/checkout"}

function init(args)
  n = 0
  batch = tonumber(args[1]) or 0
  run = args[2] or "r"   -- one tag per wrk run: the warm-up's message ids are not the run's
  wrk.method = "POST"
  wrk.path = batch > 0 and "/v1/batch" or "/v1/track"
  wrk.headers["Content-Type"] = "application/json"
end

local function event(with_type)
  n = n + 1
  local id = (thread_id or 0) * 1000000000 + n
  local visitor = math.floor(id / 20)
  local t = with_type and '"type":"track",' or ''
  if with_type and n % 50 == 0 then
    return string.format('{"type":"identify","anonymousId":"v-%d","userId":"u-%d","messageId":"%s-%d","traits":{"email":"v%d@bench.example"}}',
      visitor, visitor, run, id, visitor)
  end
  return string.format(
    '{%s"event":"Product Viewed","anonymousId":"v-%d","messageId":"%s-%d","properties":{"名称":"龙井 🍵","price":128,"path":"%s"},' ..
    '"context":{"library":{"name":"bench"}},"timestamp":"2026-12-06T12:00:00.000Z"}',
    t, visitor, run, id, pages[(id % #pages) + 1])
end

function request()
  if batch == 0 then return wrk.format(nil, nil, nil, event(false)) end
  local items = {}
  for i = 1, batch do items[i] = event(true) end
  return wrk.format(nil, nil, nil, '{"batch":[' .. table.concat(items, ",") .. '],"sentAt":"2026-12-06T12:00:00.000Z"}')
end

function done(summary, latency, requests)
  local agg, bad = {}, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("per_s") or {}) do agg[k] = (agg[k] or 0) + v end
    bad = bad + (t:get("non200") or 0)
  end
  local ks = {}
  for k in pairs(agg) do ks[#ks + 1] = k end
  table.sort(ks)
  local out = {}
  for _, k in ipairs(ks) do out[#out + 1] = k .. ":" .. agg[k] end
  io.write("SERIES " .. table.concat(out, " ") .. "\n")
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d non200=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, bad))
end
