#!/usr/bin/env python3
"""Times the search's SQLite statements on a Guanxi data directory, read-only.

    python3 bench/sqlite/search_window.py DATA_DIR [--repeat N]

For each benchmark query (the Latin and Chinese terms of bench/api/run.sh, scenarios d and e) it
prints the mean time of: the 200-match full-text window alone, the window ranked on seq and name
(what the server runs first), and the older one-stage form that read whole rows for all 200
candidates; and the number of segments in each full-text index. Needs an SQLite with FTS5
trigram and contentless_delete (3.43+): Debian's python3 is older, so this uses the
pysqlite3-binary package from PyPI (`pip install pysqlite3-binary`).
"""
import argparse
import time

import pysqlite3 as sqlite3

COLS = """c.id, c.kind, c.name, c.organization_id, o.name AS organization_name, c.title, c.stage, c.tier, c.owner_id,
    c.source, c.birthday, c.emails_json, c.phones_json, c.identities_json, c.addresses_json, c.consent_json,
    c.preferred_channel, c.tags_json, c.custom_json, c.version, c.created_at, c.updated_at, c.deleted_at"""
TERMS = [("wang", "customer_fts"), ("gmail", "customer_fts"), ("1381", "customer_fts"), ("acme", "customer_fts"),
         ("tech", "customer_fts"), ("小明", "customer_bigrams"), ("王芳", "customer_bigrams"), ("上海", "customer_bigrams"),
         ("科技", "customer_bigrams"), ("张伟", "customer_bigrams")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--repeat", type=int, default=50)
    a = ap.parse_args()
    db = sqlite3.connect(f"file:{a.data}/guanxi.sqlite?mode=ro", uri=True)
    ws = db.execute("SELECT id FROM workspaces ORDER BY created_at LIMIT 1").fetchone()[0]

    def timed(q, args):
        db.execute(q, args).fetchall()
        t0 = time.perf_counter()
        for _ in range(a.repeat):
            db.execute(q, args).fetchall()
        return (time.perf_counter() - t0) / a.repeat * 1000

    for t in ("customer_fts", "customer_bigrams"):
        n = db.execute(f"SELECT COUNT(DISTINCT segid) FROM {t}_idx").fetchone()[0]
        print(f"segments in {t}: {n}")
    print("| query | window ms | ranked window ms | one-stage (whole rows) ms |")
    print("|---|---:|---:|---:|")
    for term, table in TERMS:
        m = f'"{term}"'
        window = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 200"
        ranked = (f"SELECT c.seq AS s, instr(lower(c.name), ?) > 0 AS hit FROM ({window.replace('rowid FROM', 'rowid AS r FROM')}) m "
                  "CROSS JOIN customers c ON c.seq = m.r WHERE c.workspace_id = ? AND c.deleted_at IS NULL ORDER BY hit DESC, c.seq DESC LIMIT 20")
        whole = (f"SELECT {COLS} FROM ({window.replace('rowid FROM', 'rowid AS r FROM')}) m CROSS JOIN customers c ON c.seq = m.r "
                 "LEFT JOIN customers o ON o.id = c.organization_id WHERE c.workspace_id = ? AND c.deleted_at IS NULL "
                 "ORDER BY (instr(lower(c.name), ?) > 0) DESC, c.seq DESC LIMIT 20")
        print(f"| {term} | {timed(window, (m,)):.3f} | {timed(ranked, (term, m, ws)):.3f} | {timed(whole, (m, ws, term)):.3f} |")


if __name__ == "__main__":
    main()
