#!/usr/bin/env python3
"""Times ticket search's SQLite plans on a Guanxi data directory, read-only.

    python3 bench/sqlite/ticket_search_plans.py DATA_DIR [--repeat N]

For each query of bench/api/tickets.sh's search scenario it prints the best time of three ways to
find the newest 51 tickets (a page of 50 and one more) as an administrator sees them:

- `first/not-exists`: the first term in sort order drives, each piece checked with a NOT EXISTS
  seek for a newer matching piece of its ticket (the plan before 2026-12-06 evening);
- `sparsest/not-exists`: the same with the sparsest term driving (`TicketSearchIndex.sqliteDrive`);
- `sparsest/batches`: the sparsest term read in growing batches, each ticket named once and the
  rest of its pieces skipped, the tickets then read with the other terms (`sqliteSearch`).

It also prints each term's probe (its 1,000th newest match) and how long the probe took. Needs an
SQLite with FTS5 trigram and contentless_delete (3.43+): Debian's python3 is older, so this uses
the pysqlite3-binary package from PyPI (`pip install pysqlite3-binary`).
"""
import argparse
import time

import pysqlite3 as sqlite3

BITS = 20
QUERIES = [["漏气"], ["补发", "龙井"], ["照片", "龙井"], ["replacement"], ["茶"]]


def table(term):
    return "ticket_fts" if len(term) >= 3 else "ticket_bigrams"


def phrase(term):
    return '"' + term.replace('"', '""') + '"' + ("*" if len(term) == 1 else "")


def best(db, fn, repeat):
    t = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - t0)
    return t * 1000, out


def not_exists(db, ws, drive, others, limit=51):
    d = table(drive)
    hi = f"((d.rowid >> {BITS}) + 1) << {BITS}"
    q = (f"SELECT t.id, d.rowid >> {BITS} FROM {d} d CROSS JOIN ticket_search s ON s.seq = d.rowid >> {BITS} "
         f"CROSS JOIN tickets t ON t.id = s.ticket_id JOIN customers c ON c.id = t.customer_id "
         f"WHERE d.{d} MATCH ? AND NOT EXISTS (SELECT 1 FROM {d} y WHERE y.{d} MATCH ? AND y.rowid > d.rowid AND y.rowid < {hi})")
    args = [phrase(drive), phrase(drive)]
    for o in others:
        x = table(o)
        q += (f" AND EXISTS (SELECT 1 FROM {x} x WHERE x.{x} MATCH ? AND x.rowid >= (d.rowid >> {BITS}) << {BITS} "
              f"AND x.rowid < {hi})")
        args.append(phrase(o))
    q += f" AND t.workspace_id = ? ORDER BY d.rowid DESC LIMIT {limit}"
    return [r[1] for r in db.execute(q, args + [ws])]


def batches(db, ws, drive, others, limit=51):
    d = table(drive)
    found, below, batch = [], None, max(64, limit * 2)
    while len(found) < limit:
        q = f"SELECT rowid FROM {d} WHERE {d} MATCH ?" + (" AND rowid < ?" if below is not None else "")
        pieces = [r[0] for r in db.execute(q + f" ORDER BY rowid DESC LIMIT {batch}", [phrase(drive)] + ([below] if below is not None else []))]
        seqs = []
        for p in pieces:
            if not seqs or seqs[-1] != p >> BITS:
                seqs.append(p >> BITS)
        if not seqs:
            break
        q = (f"SELECT t.id, s.seq FROM ticket_search s CROSS JOIN tickets t ON t.id = s.ticket_id "
             f"JOIN customers c ON c.id = t.customer_id WHERE s.seq IN ({','.join(map(str, seqs))})")
        args = []
        for o in others:
            x = table(o)
            q += f" AND EXISTS (SELECT 1 FROM {x} x WHERE x.{x} MATCH ? AND x.rowid >= s.seq << {BITS} AND x.rowid < (s.seq + 1) << {BITS})"
            args.append(phrase(o))
        q += f" AND t.workspace_id = ? ORDER BY s.seq DESC LIMIT {limit - len(found)}"
        found += [r[1] for r in db.execute(q, args + [ws])]
        if len(pieces) < batch:
            break
        below = seqs[-1] << BITS
        batch = min(batch * 2, 8192)
    return found


def probe(db, term):
    d = table(term)
    r = db.execute(f"SELECT rowid FROM {d} WHERE {d} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET 999", [phrase(term)]).fetchone()
    return -r[0] if r else float("inf")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    db = sqlite3.connect(f"file:{a.data}/guanxi.sqlite?mode=ro", uri=True)
    ws = db.execute("SELECT id FROM workspaces ORDER BY created_at LIMIT 1").fetchone()[0]
    print("| query | first/not-exists ms | sparsest/not-exists ms | sparsest/batches ms | probes |")
    print("|---|---:|---:|---:|---|")
    for terms in QUERIES:
        probes = []
        for t in terms:
            ms, reach = best(db, lambda: probe(db, t), a.repeat)
            probes.append(f"{t} {ms:.2f} ms")
        sparsest = max(terms, key=lambda t: probe(db, t))
        others = [t for t in terms if t != sparsest]
        a1, r1 = best(db, lambda: not_exists(db, ws, terms[0], terms[1:]), a.repeat)
        a2, r2 = best(db, lambda: not_exists(db, ws, sparsest, others), a.repeat)
        a3, r3 = best(db, lambda: batches(db, ws, sparsest, others), a.repeat)
        same = "" if r1 == r2 == r3 else " (answers differ!)"
        print(f"| {' '.join(terms)} | {a1:.2f} | {a2:.2f} | {a3:.2f}{same} | {', '.join(probes)} |")


if __name__ == "__main__":
    main()
