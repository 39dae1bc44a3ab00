"""`guanxi backup` while the server takes writes, `guanxi restore` into an empty target, and the
round trip compared table by table; a backup killed half-way leaves no file under its name; a
damaged, newer or misplaced backup is refused and the target keeps what it had."""
import json
import os
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid

import pytest

from conftest import BIN


def run(server, *args, env=None, timeout=300):
    return subprocess.run([BIN, *args], env=env or server.env, capture_output=True, text=True, timeout=timeout)


class Target:
    """An empty place to restore into, of the server's kind: a new SQLite directory or PostgreSQL database."""

    def __init__(self, server):
        self.server = server
        self.dir = tempfile.mkdtemp(prefix="guanxi-restore-")
        self.env = dict(server.env)
        self.pg_db = None
        if server.pg_db:
            self.pg_db = "restore_" + uuid.uuid4().hex[:10]
            subprocess.run(["psql", server.admin_url, "-qc", f"CREATE DATABASE {self.pg_db}"], check=True)
            self.env["GUANXI_DATABASE_URL"] = server.admin_url.rsplit("/", 1)[0] + "/" + self.pg_db

    def args(self):
        return ["--data", os.path.join(self.dir, "data")]

    def restore(self, file):
        return run(self.server, "restore", file, *self.args(), env=self.env)

    def drop(self):
        if self.pg_db:
            subprocess.run(["psql", self.server.admin_url, "-qc", f"DROP DATABASE IF EXISTS {self.pg_db} WITH (FORCE)"], check=False)
        subprocess.run(["rm", "-rf", self.dir], check=False)


def tables(server, data_dir=None, url=None):
    """Every table's rows as sorted text, read straight from the database."""
    if url:
        names = subprocess.run(["psql", url, "-Atc", "SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"],
                               capture_output=True, text=True, check=True).stdout.split()
        out = {}
        for t in names:
            rows = subprocess.run(["psql", url, "-Atc", f'SELECT t::text FROM "{t}" t'], capture_output=True, text=True, check=True).stdout
            out[t] = sorted(rows.splitlines())
        return out
    db = sqlite3.connect(os.path.join(data_dir, "guanxi.sqlite"))
    try:
        out = {}
        for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
            try:
                out[t] = sorted(repr(r) for r in db.execute(f'SELECT * FROM "{t}"'))
            except sqlite3.OperationalError:
                out[t] = ["(virtual table of a module this sqlite3 lacks)"]
        return out
    finally:
        db.close()


def source_tables(server):
    return tables(server, url=server.env.get("GUANXI_DATABASE_URL"), data_dir=server.dir)


def target_tables(target):
    return tables(target.server, url=target.env.get("GUANXI_DATABASE_URL") if target.pg_db else None,
                  data_dir=os.path.join(target.dir, "data"))


def add_customers(server, n, prefix):
    for i in range(n):
        status, _, _ = server.json("POST", "/api/v1/customers",
                                   {"kind": "person", "name": f"{prefix} 王芳 {i} 🎉", "emails": [f"{prefix}{i}-{uuid.uuid4().hex[:6]}@example.com"]})
        assert status == 201


def test_a_backup_under_write_load_restores_whole_and_a_quiet_one_equals_the_source(server, tmp_path):
    add_customers(server, 30, "before")
    # given writers adding customers through the API while the backup runs
    stop = threading.Event()
    written = []

    def writer():
        i = 0
        while not stop.is_set() and i < 2000:
            add_customers(server, 1, f"load{i}")
            written.append(i)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        time.sleep(0.3)
        busy = str(tmp_path / "busy.backup")
        p = run(server, "backup", busy, "--data", server.dir)
    finally:
        stop.set()
        t.join(timeout=60)
    assert p.returncode == 0, p.stderr
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("sha256 ") and len(last.split()[1]) == 64
    assert written, "the writer made no customers while the backup ran"
    # the busy backup restores, and its audit chains verify
    target = Target(server)
    try:
        r = target.restore(busy)
        assert r.returncode == 0, r.stderr
        assert "audit chains intact" in r.stdout
        v = run(server, "audit", "verify", *target.args(), env=target.env)
        assert v.returncode == 0 and "BROKEN" not in v.stdout, v.stdout
    finally:
        target.drop()
    # with the writers stopped, a backup restores to exactly the source's rows, table by table
    quiet = str(tmp_path / "quiet.backup")
    before = source_tables(server)
    p = run(server, "backup", quiet, "--data", server.dir)
    assert p.returncode == 0, p.stderr
    target = Target(server)
    try:
        r = target.restore(quiet)
        assert r.returncode == 0, r.stderr
        after = target_tables(target)
        for name in set(before) | set(after):
            assert after.get(name) == before.get(name), f"table {name} differs"
        assert len(after["customers"]) >= 30 + len(written) - 1
    finally:
        target.drop()


def test_a_backup_killed_half_way_leaves_no_file_under_its_name(server, tmp_path):
    add_customers(server, 20, "kill")
    outcomes = set()
    for delay in [0.05, 0.15, 0.3, 0.6, 1.0, 2.0]:
        file = str(tmp_path / f"killed-{delay}.backup")
        p = subprocess.Popen([BIN, "backup", file, "--data", server.dir], env=server.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        if not os.path.exists(file):
            outcomes.add("absent")
            continue
        # it finished before the kill: then it is whole and restores
        outcomes.add("whole")
        target = Target(server)
        try:
            r = target.restore(file)
            assert r.returncode == 0, r.stderr
        finally:
            target.drop()
    assert outcomes  # each run ended one of the two ways, never with a broken file under the name
    # and the next backup to the same place is fine
    file = str(tmp_path / "killed-0.05.backup")
    assert run(server, "backup", file, "--data", server.dir).returncode == 0


def repack(src, dst, tmp_path, edit):
    """Unpacks a backup, lets `edit` change its manifest, packs it again."""
    work = tmp_path / ("unpacked-" + uuid.uuid4().hex[:6])
    work.mkdir()
    subprocess.run(f"zstd -dc '{src}' | tar -C '{work}' -xf -", shell=True, check=True)
    manifest = json.loads((work / "manifest.json").read_text())
    edit(manifest, work)
    (work / "manifest.json").write_text(json.dumps(manifest))
    subprocess.run(f"tar -C '{work}' -cf - . | zstd -qc > '{dst}'", shell=True, check=True)


@pytest.mark.skipif(subprocess.run(["which", "zstd"], capture_output=True).returncode != 0, reason="zstd is not installed")
def test_damaged_newer_and_foreign_backups_are_refused_and_the_target_keeps_its_data(server, tmp_path):
    good = str(tmp_path / "good.backup")
    assert run(server, "backup", good, "--data", server.dir).returncode == 0
    target = Target(server)
    try:
        # a schema newer than this Guanxi knows
        newer = str(tmp_path / "newer.backup")
        repack(good, newer, tmp_path, lambda m, _: m.update(schema_version=999))
        r = target.restore(newer)
        assert r.returncode == 2 and "knows only up to" in r.stderr, r.stderr
        # a database image changed after the backup was written
        def tamper(m, work):
            image = next(work.glob("database/*"))
            with open(image, "r+b") as f:
                f.seek(2000)
                b = f.read(1)
                f.seek(2000)
                f.write(bytes([b[0] ^ 0xFF]))
        damaged = str(tmp_path / "damaged.backup")
        repack(good, damaged, tmp_path, tamper)
        r = target.restore(damaged)
        assert r.returncode == 2 and "does not match its checksum" in r.stderr, r.stderr
        # something that is not a backup at all
        junk = tmp_path / "junk.backup"
        junk.write_text("<script>alert(1)</script>")
        r = target.restore(str(junk))
        assert r.returncode == 2 and "not a Guanxi backup" in r.stderr, r.stderr
        # the good one restores; then a second restore into the full target is refused and changes nothing
        assert target.restore(good).returncode == 0
        rows = target_tables(target)["customers"]
        r = target.restore(good)
        assert r.returncode == 2 and "empty" in r.stderr, r.stderr
        assert target_tables(target)["customers"] == rows
    finally:
        target.drop()
