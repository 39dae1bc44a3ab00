-- wrk script: each request POSTs new leads (unique name and phone per thread and lead), so every one
-- is validated, duplicate-checked, placed by the assignment rules and audited. One lead per request to
-- /api/v1/leads, or, with a batch size after `--`, that many per request to /api/v1/leads/batch.
--
--   wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $TOKEN" -s bench/api/leads.lua URL [-- 200]
local thread_counter = 0
local threads = {}
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
  table.insert(threads, thread)
end
-- answers per wall-clock second, per thread (summed in done): "sustained" means no slow second
per_s = {}
function response(status, headers, body)
  local t = os.time()
  per_s[t] = (per_s[t] or 0) + 1
end

local n = 0
local batch = 0
local provinces = {"广东", "浙江", "江苏", "北京", "上海", "四川"}
local sources = {"抖音", "百度", "官网", "展会"}

function init(args)
  n = 0
  batch = tonumber(args[1]) or 0
  wrk.method = "POST"
  wrk.path = batch > 0 and "/api/v1/leads/batch" or "/api/v1/leads"
  wrk.headers["Content-Type"] = "application/json"
end

local function lead()
  n = n + 1
  local id = (thread_id or 0) * 100000000 + n
  return string.format(
    '{"name":"线索%d","phone":"+8613%09d","source":"%s","province":"%s","product_interest":"企业版","utm":{"utm_source":"bench"}}',
    id, id % 1000000000, sources[(id % #sources) + 1], provinces[(id % #provinces) + 1])
end

function request()
  if batch == 0 then return wrk.format(nil, nil, nil, lead()) end
  local items = {}
  for i = 1, batch do items[i] = lead() end
  return wrk.format(nil, nil, nil, '{"leads":[' .. table.concat(items, ",") .. ']}')
end

-- (done runs apart from the threads and does not know the batch size: leads.sh multiplies)
function done(summary, latency, requests)
  local agg = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("per_s") or {}) do agg[k] = (agg[k] or 0) + v end
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
    "connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
