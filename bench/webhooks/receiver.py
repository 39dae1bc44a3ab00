#!/usr/bin/env python3
"""A fast webhook receiver on 127.0.0.1 for bench/webhooks/run.sh.

  receiver.py --port P --stats FILE [--secret whsec_…] [--check-every N]

HTTP/1.1 with keep-alive over asyncio streams: reads each request's head and Content-Length body,
answers 204, counts requests and distinct webhook-id values, and notes the time of the first and
the latest. Every N-th request's Standard Webhooks signature is checked against the secret (HMAC-SHA256
of id.timestamp.body); bad ones are counted. The counts are written as JSON to FILE every 0.2 s and
on SIGTERM.
"""
import argparse, asyncio, base64, hashlib, hmac, json, os, signal, time

stats = {"requests": 0, "distinct_ids": 0, "checked": 0, "bad_signatures": 0, "first": None, "last": None}
seen = set()


def verify(secret, headers, body):
    key = base64.b64decode(secret[6:] if secret.startswith("whsec_") else secret)
    msg = f"{headers.get('webhook-id', '')}.{headers.get('webhook-timestamp', '')}.".encode() + body
    want = "v1," + base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
    return want in headers.get("webhook-signature", "").split(" ")


async def serve(reader, writer, args):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            now = time.time()
            stats["requests"] += 1
            stats["first"] = stats["first"] or now
            stats["last"] = now
            seen.add(headers.get("webhook-id"))
            stats["distinct_ids"] = len(seen)
            if args.secret and stats["requests"] % args.check_every == 0:
                stats["checked"] += 1
                if not verify(args.secret, headers, body):
                    stats["bad_signatures"] += 1
            writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def dump(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(stats, f)
    os.replace(tmp, path)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--secret", default="")
    ap.add_argument("--check-every", type=int, default=100)
    args = ap.parse_args()
    server = await asyncio.start_server(lambda r, w: serve(r, w, args), "127.0.0.1", args.port, backlog=1024)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        while not stop.is_set():
            dump(args.stats)
            try:
                await asyncio.wait_for(stop.wait(), 0.2)
            except asyncio.TimeoutError:
                pass
    dump(args.stats)


asyncio.run(main())
