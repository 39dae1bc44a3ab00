#!/usr/bin/env python3
"""How fast SQLite alone can store what a customer import stores: the floor under `guanxi import`.

    python3 bench/sqlite/import_floor.py IMPORTED_DIR EMPTY_DIR [--cache-mb N]

IMPORTED_DIR is a data directory after `guanxi import customers` (for example one kept from
bench/api/import.sh); EMPTY_DIR one just made by `guanxi migrate --data EMPTY_DIR`. In one
transaction, as the importer runs, it copies every row the import wrote (customers, identities,
tags, timeline entries, audit entries) into the empty database with INSERT ... SELECT, so no
parsing, validation or binding is timed, and then feeds both full-text indexes the stored search
text (the bigram index really holds a shorter document, so its step is an upper bound; the total
without it is printed too). It prints the seconds per table, the commit, and the rows per second of the whole: no
importer on this schema can be faster than that on this machine. Needs an SQLite with FTS5
trigram and contentless_delete (3.43+): `pip install pysqlite3-binary`.
"""
import argparse
import os
import time

import pysqlite3 as sqlite3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("imported")
    ap.add_argument("empty")
    ap.add_argument("--cache-mb", type=int, default=2048, help="writer page cache (the CLI import uses 2048)")
    a = ap.parse_args()
    src, dst = (os.path.join(d, "guanxi.sqlite") for d in (a.imported, a.empty))
    c = sqlite3.connect(dst, isolation_level=None)
    # The CLI import's settings (Database.prepareForBulkLoad).
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("PRAGMA synchronous = OFF")
    c.execute(f"PRAGMA cache_size = -{a.cache_mb * 1024}")
    c.execute("PRAGMA wal_autocheckpoint = 10000")
    c.execute("ATTACH ? AS src", (src,))
    (customers,) = c.execute("SELECT count(*) FROM main.customers").fetchone()
    if customers:
        raise SystemExit(f"{dst} already holds {customers} customers: give a freshly migrated data directory")
    (rows,) = c.execute("SELECT count(*) FROM src.customers").fetchone()
    steps = [
        ("customers (+ 10 indexes)", "INSERT INTO main.customers SELECT * FROM src.customers"),
        ("customer_identities", "INSERT INTO main.customer_identities SELECT * FROM src.customer_identities"),
        ("customer_tags", "INSERT INTO main.customer_tags SELECT * FROM src.customer_tags"),
        ("timeline", "INSERT INTO main.timeline SELECT * FROM src.timeline"),
        ("audit_log", "INSERT INTO main.audit_log SELECT * FROM src.audit_log"),
        ("customer_fts (trigram)", "INSERT INTO main.customer_fts (rowid, doc) SELECT seq, search_text FROM src.customers"),
        ("customer_bigrams", "INSERT INTO main.customer_bigrams (rowid, doc) SELECT seq, search_text FROM src.customers"),
    ]
    print(f"| step | seconds |\n|---|---:|")
    total = time.perf_counter()
    c.execute("BEGIN")
    for name, sql in steps:
        t = time.perf_counter()
        c.execute(sql)
        print(f"| {name} | {time.perf_counter() - t:.2f} |")
        if name == "customer_bigrams":
            bigrams = time.perf_counter() - t
    t = time.perf_counter()
    c.execute("COMMIT")
    print(f"| commit | {time.perf_counter() - t:.2f} |")
    secs = time.perf_counter() - total
    print(f"| **total, {rows:,} customers** | **{secs:.2f}** ({rows / secs:,.0f} rows/s) |")
    print(f"| total without the bigram step | {secs - bigrams:.2f} ({rows / (secs - bigrams):,.0f} rows/s) |")


if __name__ == "__main__":
    main()
