"""Grows an imported order history to a target count for the portal benchmark: copies of the
history (orders, their lines and payments) placed 2, 4, 6… years earlier, each copy with its own
ids, numbers and external ids, for the same customers. What the portal reads (a customer's orders
newest first, an order with its lines and payments) then runs over tables and indexes of the target
size, with every customer's history several times as long. SQLite data directories only; run it on a
copy while no server has the database open.

    python3 bench/portal/grow.py DATA_DIR --orders 10000000
"""
import argparse
import os
import sqlite3
import sys
import time

DAY_MS = 86_400_000


def main():
    a = argparse.ArgumentParser()
    a.add_argument("data")
    a.add_argument("--orders", type=int, default=10_000_000)
    o = a.parse_args()
    assert o.orders <= 20_000_000, "--orders is at most 20,000,000"
    db = sqlite3.connect(os.path.join(o.data, "guanxi.sqlite"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-2000000")
    base = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    top = db.execute("SELECT MAX(rowid) FROM orders").fetchone()[0] or 0
    if base == 0:
        sys.exit("no orders to copy")
    cols = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in ("orders", "order_lines", "order_payments")}
    have = base
    copy = 0
    while have < o.orders:
        copy += 1
        shift = copy * 730 * DAY_MS
        # the last copy takes only what is still missing (every n-th order of the original history)
        need = o.orders - have
        every = 1 if need >= base else max(1, base // need)
        take = min(need, base)
        t0 = time.time()
        new_id = lambda col: f"substr({col}, 1, 24) || printf('%012x', {copy} * 1099511627776 + o.rowid)"
        def expr(table, c):
            if table == "orders":
                if c == "id": return new_id("o.id")
                if c == "number": return f"o.number || '-{copy}'"
                if c == "external_id": return f"o.external_id || '-{copy}'"
                if c.endswith("_at"): return f"o.{c} - {shift}"
                return f"o.{c}"
            if c == "order_id": return new_id("o.id")
            if c in ("line_id", "id"): return f"substr(x.{c}, 1, 24) || printf('%012x', {copy} * 1099511627776 + x.rowid)"
            if c.endswith("_at"): return f"x.{c} - {shift}"
            return f"x.{c}"
        where = f"o.rowid <= {top}" + ("" if every == 1 else f" AND o.rowid % {every} = 0")
        db.execute("BEGIN")
        db.execute(f"INSERT INTO orders ({', '.join(cols['orders'])}) SELECT {', '.join(expr('orders', c) for c in cols['orders'])} FROM orders o WHERE {where}"
                   + f" ORDER BY o.rowid LIMIT {take}")
        added = db.execute("SELECT changes()").fetchone()[0]
        for t in ("order_lines", "order_payments"):
            db.execute(f"INSERT INTO {t} ({', '.join(cols[t])}) SELECT {', '.join(expr(t, c) for c in cols[t])} "
                       f"FROM orders o JOIN {t} x ON x.order_id = o.id WHERE {where}" + ("" if take == base else f" AND o.rowid IN (SELECT rowid FROM orders o WHERE {where} ORDER BY o.rowid LIMIT {take})"))
        db.execute("COMMIT")
        have += added
        print(f"copy {copy}: {added:,} orders placed {copy * 2} years earlier in {time.time() - t0:.0f} s ({have:,} in all)", file=sys.stderr)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"{have:,} orders", file=sys.stderr)


if __name__ == "__main__":
    main()
