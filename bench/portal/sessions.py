"""Signs K customers in to the portal the way customers do, for the portal benchmark (loopback only):
the customers with the longest order histories and a seeded random sample of the others each get an
email address (POST /api/v1/customers/{id}/identities) and service requests (POST /api/v1/tickets,
a reply each); each then asks for a code (POST /portal/api/sign-in/code, from its own loopback address,
as the limits per network address allow), the code is read from the SMTP sink's maildir, and the
sign-in (POST /portal/api/sign-in) gives the session cookie. Writes the visit files
bench/api/requests.lua reads ("GET<TAB>PATH<TAB><TAB>COOKIE"): order-list.txt, order-page.txt, request-list.txt, request-page.txt.

    python3 bench/portal/sessions.py --base URL --token TOKEN --db DATA/guanxi.sqlite --maildir DIR --out DIR [--customers K]
"""
import argparse
import email
import email.policy
import http.client
import json
import os
import random
import re
import sqlite3
import sys
import time
import urllib.parse


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base", required=True)
    a.add_argument("--token", required=True)
    a.add_argument("--db", required=True)
    a.add_argument("--maildir", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--customers", type=int, default=200)
    a.add_argument("--requests", type=int, default=3)
    o = a.parse_args()
    assert 1 <= o.customers <= 2000, "--customers is 1 to 2,000"
    u = urllib.parse.urlsplit(o.base)
    assert u.hostname in ("127.0.0.1", "localhost"), "loopback only"
    # the sample: a quarter from the longest histories, the rest at random among those who bought
    with sqlite3.connect(f"file:{o.db}?mode=ro", uri=True) as db:
        top = [r[0] for r in db.execute("SELECT customer_id FROM orders GROUP BY customer_id ORDER BY COUNT(*) DESC LIMIT ?", (o.customers // 4,))]
        n = db.execute("SELECT MAX(seq) FROM customers").fetchone()[0]
        rng = random.Random(25)
        rest = []
        while len(rest) < o.customers - len(top):
            row = db.execute("SELECT c.id FROM customers c WHERE c.seq = ? AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
                             (rng.randint(1, n),)).fetchone()
            if row and row[0] not in top and row[0] not in rest:
                rest.append(row[0])
    staff = http.client.HTTPConnection(u.hostname, u.port, timeout=60)

    def call(conn, method, path, body=None, headers=None):
        h = dict(headers or {})
        if body is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, path, json.dumps(body, ensure_ascii=False).encode() if body is not None else None, h)
        r = conn.getresponse()
        data = r.read()
        return r.status, r, data

    auth = {"Authorization": f"Bearer {o.token}"}
    def visit(name, path):
        files[name].write(f"GET\t{path}\t\t{cookie}\n")

    files = {k: open(os.path.join(o.out, k + ".txt"), "w") for k in ("order-list", "order-page", "request-list", "request-page")}
    signed = 0
    t0 = time.time()
    for i, cid in enumerate(top + rest):
        address = f"portal{i}@bench.example"
        s, _, d = call(staff, "POST", f"/api/v1/customers/{cid}/identities", {"kind": "email", "value": address}, auth)
        assert s in (200, 201, 409), f"identity for {cid}: HTTP {s} {d[:200]}"
        for k in range(o.requests):
            s, _, d = call(staff, "POST", "/api/v1/tickets", {"customer_id": cid, "subject": f"订单破损，申请补发 {k}", "body": "收到的茶叶罐有破损 📦，请帮忙补发。",
                                                             "type": "complaint", "priority": "normal", "channel": "portal"}, auth)
            assert s == 201, f"ticket for {cid}: HTTP {s} {d[:200]}"
            t = json.loads(d)["id"]
            s, _, d = call(staff, "POST", f"/api/v1/tickets/{t}/messages", {"kind": "reply", "body": "您好，已为您安排补发，单号稍后发送。"}, auth)
            assert s in (200, 201), f"reply on {t}: HTTP {s} {d[:200]}"
        # each customer from its own loopback address: the per-address limit on code requests holds
        me = http.client.HTTPConnection(u.hostname, u.port, timeout=60, source_address=(f"127.0.0.{2 + i // 10}", 0))
        before = set(os.listdir(os.path.join(o.maildir, "new")))
        s, _, d = call(me, "POST", "/portal/api/sign-in/code", {"email": address})
        assert s == 202, f"code for {address}: HTTP {s} {d[:200]}"
        code = None
        for _ in range(200):
            for name in set(os.listdir(os.path.join(o.maildir, "new"))) - before:
                with open(os.path.join(o.maildir, "new", name), "rb") as f:
                    m = email.message_from_binary_file(f, policy=email.policy.default)
                if address in str(m["To"]):
                    text = m.get_body(preferencelist=("plain",)).get_content()
                    found = re.search(r"\b(\d{6})\b", text)   # the replies to the requests come by mail too
                    code = found.group(1) if found else code
            if code:
                break
            time.sleep(0.05)
        assert code, f"no code arrived for {address}"
        s, r, d = call(me, "POST", "/portal/api/sign-in", {"email": address, "code": code})
        assert s == 200, f"sign-in of {address}: HTTP {s} {d[:200]}"
        cookie = next(v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("gx_portal="))
        s, _, d = call(me, "GET", "/portal/api/orders", headers={"Cookie": cookie})
        orders = [x["id"] for x in json.loads(d)["items"]]
        s, _, d = call(me, "GET", "/portal/api/requests", headers={"Cookie": cookie})
        requests = [x["id"] for x in json.loads(d)["items"]]
        assert orders and requests, f"{address} sees no orders or no requests"
        for path in ("/portal/orders", "/portal/api/orders"):
            visit("order-list", path)
        for oid in orders[:3]:
            for path in (f"/portal/orders/{oid}", f"/portal/api/orders/{oid}"):
                visit("order-page", path)
        for path in ("/portal/requests", "/portal/api/requests"):
            visit("request-list", path)
        for rid in requests[:2]:
            for path in (f"/portal/requests/{rid}", f"/portal/api/requests/{rid}"):
                visit("request-page", path)
        me.close()
        signed += 1
    for f in files.values():
        f.close()
    print(f"{signed} customers signed in to the portal ({len(top)} with the longest histories, {len(rest)} at random), "
          f"{signed * o.requests} requests made, in {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
