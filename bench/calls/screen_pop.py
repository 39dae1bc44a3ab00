"""Holds N screen-pop event streams open against a Guanxi server and times each ringing call from
the webhook's send to its arrival on every stream (standard library only; loopback)."""
import argparse
import asyncio
import base64
import hashlib
import hmac
import html
import http.client
import json
import re
import time
import urllib.request
import uuid


def sign_in(base, email, password, n=0):
    """A session cookie. Sign-in allows 30 attempts per network address in 15 minutes: the n-th
    agent signs in from 127.0.0.(2 + n // 20), all of them loopback addresses."""
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(f"127.0.0.{2 + n // 20}", 0))
    conn.request("POST", "/api/v1/auth/sign-in", body=json.dumps({"email": email, "password": password}).encode(),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    if r.status != 200:
        raise SystemExit(f"sign-in of {email} answered {r.status}: {r.read()[:200]!r}")
    cookie = r.getheader("Set-Cookie", "")
    conn.close()
    return cookie.split(";", 1)[0]


def telephony(base, cookie):
    req = urllib.request.Request(base + "/calls", headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as r:
        page = r.read().decode()
    codes = [html.unescape(c) for c in re.findall(r"<code>([^<]+)</code>", page)]
    return codes[0], codes[1]


async def stream(host, port, cookie, arrivals, ready):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /calls/events HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    ready.set_result(True) if not ready.done() else None
    buf = b""
    try:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            now = time.time()
            buf += chunk
            while b"\n\n" in buf:
                event, buf = buf.split(b"\n\n", 1)
                # the body comes chunked: the chunks' size lines sit between events and are skipped
                for line in event.split(b"\n"):
                    line = line.strip(b"\r")
                    if line.startswith(b"data: "):
                        d = json.loads(line[6:])
                        if d.get("event") == "ringing":
                            arrivals.setdefault(d["phone"], []).append(now)
    finally:
        writer.close()


def post(base, hook, secret, body):
    raw = json.dumps(body).encode()
    mid, ts = "msg_" + uuid.uuid4().hex, str(int(time.time()))
    key = base64.b64decode(secret[len("whsec_"):])
    sig = base64.b64encode(hmac.new(key, f"{mid}.{ts}.".encode() + raw, hashlib.sha256).digest()).decode()
    req = urllib.request.Request(base + hook[hook.index("/api/v1/"):], data=raw, method="POST", headers={
        "Content-Type": "application/json", "webhook-id": mid, "webhook-timestamp": ts, "webhook-signature": "v1," + sig})
    urllib.request.urlopen(req, timeout=30).read()


async def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base"); a.add_argument("--agents", type=int); a.add_argument("--pages", type=int); a.add_argument("--calls", type=int)
    a.add_argument("--owner"); a.add_argument("--password")
    o = a.parse_args()
    host, port = o.base.split("//")[1].split(":")
    hook, secret = telephony(o.base, sign_in(o.base, o.owner, o.password))
    cookies = [sign_in(o.base, f"agent{i}@bench.example", o.password, i) for i in range(1, o.agents + 1)]
    arrivals, tasks, readies = {}, [], []
    for p in range(o.pages):
        ready = asyncio.get_running_loop().create_future()
        readies.append(ready)
        tasks.append(asyncio.create_task(stream(host, int(port), cookies[p % len(cookies)], arrivals, ready)))
    await asyncio.wait_for(asyncio.gather(*readies), 60)
    await asyncio.sleep(2)
    sent = {}
    for c in range(o.calls):
        phone = f"+86139{c:08d}"
        sent[phone] = time.time()
        await asyncio.to_thread(post, o.base, hook, secret, {"event": "ringing", "call_id": "bench-" + uuid.uuid4().hex, "from": phone})
        await asyncio.sleep(0.2)
    deadline = time.time() + 120
    while time.time() < deadline and sum(len(arrivals.get(p, [])) for p in sent) < o.pages * o.calls:
        await asyncio.sleep(0.2)
    for t in tasks:
        t.cancel()
    lat = sorted((t - sent[p]) * 1000 for p in sent for t in arrivals.get(p, []))
    missing = o.pages * o.calls - len(lat)
    def pct(q):
        return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
    print(f"| pages | calls | pops | missing | p50 ms | p99 ms | max ms |")
    print(f"| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {o.pages} | {o.calls} | {len(lat)} | {missing} | {pct(0.5):.1f} | {pct(0.99):.1f} | {lat[-1] if lat else float('nan'):.1f} |")


asyncio.run(main())
