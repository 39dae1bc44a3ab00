-- wrk script: shops and ERPs pushing orders. Each request POSTs BATCH new orders to
-- /api/v1/orders/batch (BATCH=1 posts single orders to /api/v1/orders), each with a unique
-- external id, a buyer known by the shop's own id (one of BUYERS; new ones become customers),
-- one catalogue line priced from the price list and one free line.
--
--   BATCH=200 PRODUCTS=id1,id2 wrk -t2 -c4 -d10s --latency -H "Authorization: Bearer $TOKEN" -s bench/api/orders.lua URL
local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

local n = 0
local batch = tonumber(os.getenv("BATCH") or "200")
local buyers = tonumber(os.getenv("BUYERS") or "5000")
local run = os.getenv("RUN") or "r"
local products = {}
for id in string.gmatch(os.getenv("PRODUCTS") or "", "[^,]+") do products[#products + 1] = id end

function init(args)
  n = 0
  wrk.method = "POST"
  wrk.path = batch > 1 and "/api/v1/orders/batch" or "/api/v1/orders"
  wrk.headers["Content-Type"] = "application/json"
end

local function order(id)
  local buyer = id % buyers
  return string.format(
    '{"source":"tmall","external_id":"%s-%d","customer":{"external_id":"b%d","name":"买家%d","phone":"+8613%09d"},' ..
    '"lines":[{"product_id":"%s","quantity":%d,"discount":5},{"name":"运费 🚚","quantity":1,"unit_price":1200,"tax_rate":6}]}',
    run, id, buyer, buyer, buyer, products[(id % #products) + 1], (id % 5) + 1)
end

function request()
  local parts = {}
  for i = 1, batch do
    n = n + 1
    parts[i] = order((thread_id or 0) * 100000000 + n)
  end
  local body = batch > 1 and ('{"orders":[' .. table.concat(parts, ",") .. ']}') or parts[1]
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d orders=%d duration_us=%d rps=%.1f orders_per_s=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    summary.requests, summary.requests * batch, summary.duration, summary.requests / secs, summary.requests * batch / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
