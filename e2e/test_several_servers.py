"""Two `guanxi serve` processes on one PostgreSQL database (docs/DEPLOY.md), reading from a streaming
replica when GUANXI_E2E_READ_URL names one (scripts/with-postgres-replica): both listen for the
other's bells, an Idempotency-Key sent to both at once creates one record, a client reads its own
write from the other server, and each stops promptly on SIGTERM."""
import os
import subprocess
import threading
import time
import uuid

import pytest

from conftest import BIN, Server, free_port

pytestmark = pytest.mark.skipif(not os.environ.get("GUANXI_E2E_DATABASE_URL"), reason="needs PostgreSQL (GUANXI_E2E_DATABASE_URL)")


@pytest.fixture(scope="module")
def servers():
    one = Server()
    read = os.environ.get("GUANXI_E2E_READ_URL")
    if read:
        one.env["GUANXI_DATABASE_READ_URL"] = read.rsplit("/", 1)[0] + "/" + one.pg_db
    one.start()
    two = Server.__new__(Server)
    two.__dict__.update(one.__dict__)
    two.port = free_port()
    two.restart()
    try:
        yield one, two
    finally:
        if two.proc and two.proc.poll() is None:
            two.proc.terminate()
            two.proc.wait(timeout=15)
        one.stop()


def test_both_servers_listen_for_each_others_bells(servers):
    one, _ = servers
    deadline = time.time() + 10
    n = 0
    while time.time() < deadline and n < 2:
        n = int(subprocess.run(["psql", one.env["GUANXI_DATABASE_URL"], "-tAc",
                                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"],
                               capture_output=True, check=True).stdout.strip())
        time.sleep(0.2)
    assert n == 2


def test_an_idempotency_key_sent_to_both_servers_creates_one_customer(servers):
    key = "e2e-" + uuid.uuid4().hex
    body = {"kind": "person", "name": "两台服务器 " + key}
    answers = [None, None]

    def send(i, s):
        answers[i] = s.json("POST", "/api/v1/customers", body, headers={"Idempotency-Key": key})

    threads = [threading.Thread(target=send, args=(i, s)) for i, s in enumerate(servers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (s1, h1, j1), (s2, h2, j2) = answers
    assert (s1, s2) == (201, 201)
    assert j1["id"] == j2["id"]
    assert sorted([h1.get("Idempotent-Replayed", ""), h2.get("Idempotent-Replayed", "")]) == ["", "true"]


def test_a_client_reads_its_write_from_the_other_server(servers):
    one, two = servers
    for i in range(5):
        status, headers, made = one.json("POST", "/api/v1/customers", {"kind": "person", "name": f"副本 {i} 🙂"})
        assert status == 201
        extra = {}
        if os.environ.get("GUANXI_E2E_READ_URL"):
            assert headers.get("Guanxi-Read-After", "").isdigit()
            extra["Guanxi-Read-After"] = headers["Guanxi-Read-After"]
        status, _, got = two.json("GET", f"/api/v1/customers/{made['id']}", headers=extra)
        assert status == 200 and got["name"] == f"副本 {i} 🙂"


def test_each_server_stops_promptly(servers):
    _, two = servers
    started = time.time()
    two.proc.terminate()
    assert two.proc.wait(timeout=15) == 0
    assert time.time() - started < 10
