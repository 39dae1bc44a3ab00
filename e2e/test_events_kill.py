"""A server killed with SIGKILL while a client sends 40,000 events with retries: every event the
server acknowledged is stored, none twice, and the database opens clean afterwards. The client
sends batches of 500 from four threads and retries each until it is answered 200 (as the tracking
libraries do); the server is killed twice mid-stream and started again on the same data."""
import base64
import json
import os
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request

from conftest import BIN

EVENTS, BATCH, THREADS = 40_000, 500, 4


def test_acknowledged_events_survive_kill_9_and_are_stored_once(server):
    out = server.cli("source", "create", "--name", "kill -9 💥").stdout.decode().strip().splitlines()
    auth = "Basic " + base64.b64encode((out[-1] + ":").encode()).decode()
    batches = [json.dumps({"batch": [{"type": "track", "event": "k9", "anonymousId": f"k9-{b % 97}", "messageId": f"k9-{b}-{i}",
                                      "properties": {"n": b * BATCH + i, "名": "茶 🍵"}} for i in range(BATCH)]}).encode()
               for b in range(EVENTS // BATCH)]
    acked, lock, stop = set(), threading.Lock(), time.time() + 420

    def send(indexes):
        for b in indexes:
            while time.time() < stop:
                req = urllib.request.Request(f"http://127.0.0.1:{server.port}/v1/batch", data=batches[b], method="POST",
                                             headers={"Authorization": auth, "Content-Type": "text/plain"})
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        if r.status == 200:
                            with lock:
                                acked.add(b)
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    pass
                time.sleep(0.1)

    threads = [threading.Thread(target=send, args=(range(t, len(batches), THREADS),)) for t in range(THREADS)]
    for t in threads:
        t.start()
    # two kills mid-stream, each once some batches are acknowledged
    for target in (len(batches) // 4, len(batches) // 2):
        while len(acked) < target and time.time() < stop:
            time.sleep(0.05)
        server.proc.kill()
        server.proc.wait()
        server.log.close()
        time.sleep(0.5)
        server.restart()
    for t in threads:
        t.join()
    assert len(acked) == len(batches), f"only {len(acked)} of {len(batches)} batches were acknowledged in time"

    status, _, sources = server.json("GET", "/api/v1/event-sources")
    s = next(s for s in sources["items"] if s["name"] == "kill -9 💥")
    assert s["stored"] == EVENTS and s["received"] - s["duplicates"] - s["refused"] == EVENTS, s
    # every acknowledged event is there once: the export streams them all
    path = os.path.join(server.dir, "k9.ndjson")
    server.cli("export", "events", "--event", "k9", path)
    ids = [json.loads(line)["message_id"] for line in open(path, encoding="utf-8")]
    assert len(ids) == EVENTS and len(set(ids)) == EVENTS

    # a last kill, and the database opens clean
    server.proc.kill()
    server.proc.wait()
    server.log.close()
    if not server.pg_db:
        db = sqlite3.connect(os.path.join(server.dir, "guanxi.sqlite"))
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM events WHERE event = 'k9'").fetchone()[0] == EVENTS
        db.close()
    server.restart()
    assert server.request("GET", "/health", auth=False)[0] == 200
