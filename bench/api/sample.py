#!/usr/bin/env python3
"""Collect inputs for the API benchmark from a running Guanxi server.

  sample.py --base http://127.0.0.1:PORT --token TOKEN --out DIR

Writes into DIR:
  ids.txt          customer ids from ~25 pages of GET /api/v1/customers?limit=200
  deep_cursor.txt  the cursor that fetches page 50 (limit=50) of
                   GET /api/v1/customers?stage=customer&limit=50
                   (fetched sequentially: keyset pagination)
Loopback only; stdlib only.
"""
import argparse
import json
import sys
import urllib.parse
import urllib.request


def get(base, token, path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token,
                                                       "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.load(resp)


def pages(base, token, path, limit, count):
    """Yields up to `count` pages, following next_cursor."""
    cursor = None
    for _ in range(count):
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit={limit}"
        if cursor:
            url += "&cursor=" + urllib.parse.quote(cursor, safe="")
        page = get(base, token, url)
        yield page, cursor
        cursor = page.get("next_cursor")
        if not cursor:
            return


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--id-pages", type=int, default=25)
    ap.add_argument("--deep-page", type=int, default=50)
    a = ap.parse_args()
    host = urllib.parse.urlsplit(a.base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("sample.py talks to loopback servers only")

    ids = []
    for page, _ in pages(a.base, a.token, "/api/v1/customers", 200, a.id_pages):
        ids.extend(item["id"] for item in page["items"])
    if not ids:
        sys.exit("no customers returned by /api/v1/customers")
    with open(f"{a.out}/ids.txt", "w") as f:
        f.write("\n".join(ids) + "\n")

    # The cursor used to fetch page N is the next_cursor of page N-1.
    deep, reached = None, 0
    for n, (page, cursor) in enumerate(pages(a.base, a.token, "/api/v1/customers?stage=customer", 50, a.deep_page), 1):
        deep, reached = cursor, n
    if deep is None:
        sys.exit("the stage=customer list has only one page; no deep cursor")
    if reached < a.deep_page:
        print(f"sample.py: stage=customer has only {reached} pages; using page {reached}", file=sys.stderr)
    with open(f"{a.out}/deep_cursor.txt", "w") as f:
        f.write(deep + "\n")
    print(f"sample.py: {len(ids)} ids, deep cursor for page {reached}", file=sys.stderr)
    with open(f"{a.out}/deep_page.txt", "w") as f:
        f.write(f"{reached}\n")


if __name__ == "__main__":
    main()
