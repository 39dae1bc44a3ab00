"""Starts the real `guanxi` binary on a free loopback port for each test module, with a real SMTP
server (aiosmtpd, from PyPI) on another loopback port as its outgoing mail relay; the messages it
receives are in `server.mail`.

GUANXI_BIN names the binary; GUANXI_E2E_DATABASE_URL, when set, points the server at PostgreSQL
(each module gets a fresh database on that server), otherwise a temporary SQLite directory is used.
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from aiosmtpd.controller import Controller


class MailSink:
    """An SMTP server's handler that keeps every message it accepts."""
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content})
        return "250 OK"

# screenshots of the run on PostgreSQL go apart from the SQLite run's (the two runs go side by side)
SHOTS = os.path.join(os.path.dirname(__file__), "screenshots", *(["postgres"] if os.environ.get("GUANXI_E2E_DATABASE_URL") else []))
# Checks of how pages look (layout, accessibility) do not depend on the database: they run once, in
# the SQLite run; everything that reads or writes data runs on both databases.
layout_only = pytest.mark.skipif(bool(os.environ.get("GUANXI_E2E_DATABASE_URL")),
                                 reason="a check of the pages' layout; it runs in the SQLite run")
BIN = os.environ.get("GUANXI_BIN", os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "guanxi"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="guanxi-e2e-")
        self.env = dict(os.environ)
        self.env.pop("GUANXI_DATABASE_URL", None)
        self.pg_db = None
        base = os.environ.get("GUANXI_E2E_DATABASE_URL")
        if base:
            self.pg_db = "e2e_" + uuid.uuid4().hex[:10]
            subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {self.pg_db}"], check=True)
            self.env["GUANXI_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + self.pg_db
            self.admin_url = base
        self.port = free_port()
        self.proc = None
        self.token = None
        self.mail = MailSink()
        self.smtp = Controller(self.mail, hostname="127.0.0.1", port=free_port())
        self.env["GUANXI_SMTP_URL"] = f"smtp://127.0.0.1:{self.smtp.port}"
        self.env["GUANXI_MAIL_FROM"] = "crm@guanxi.example"

    def cli(self, *args, check=True, input_bytes=None):
        p = subprocess.run([BIN, *args, "--data", self.dir], env=self.env, capture_output=True, input=input_bytes, timeout=300)
        if check and p.returncode != 0:
            raise AssertionError(f"guanxi {' '.join(args)} failed ({p.returncode}): {p.stderr.decode()}")
        return p

    def start(self):
        self.smtp.start()
        if self.pg_db:
            self.cli("migrate")
        self.cli("user", "create", "--email", "owner@example.com", "--password", "e2e-Passw0rd", "--role", "owner")
        out = self.cli("token", "create", "--email", "owner@example.com", "--name", "e2e").stdout.decode().strip().splitlines()
        self.token = out[-1]
        self.restart()

    def restart(self):
        """Starts the server over the same data (after a stop, or a kill)."""
        self.log = open(os.path.join(self.dir, "serve.log"), "ab")
        self.proc = subprocess.Popen([BIN, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data", self.dir],
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.request("GET", "/health", auth=False)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("server did not become healthy: " + open(os.path.join(self.dir, "serve.log")).read())

    def request(self, method, path, body=None, headers=None, auth=True, raw=None):
        url = f"http://127.0.0.1:{self.port}{path}"
        h = dict(headers or {})
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if auth:
            h["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                payload = r.read()
                return r.status, dict(r.headers), payload
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, method, path, body=None, headers=None, auth=True):
        status, h, payload = self.request(method, path, body, headers, auth)
        return status, h, (json.loads(payload) if payload else None)

    def stop(self):
        self.smtp.stop()
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.pg_db:
            subprocess.run(["psql", self.admin_url, "-qc", f"DROP DATABASE IF EXISTS {self.pg_db} WITH (FORCE)"], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    s = Server()
    try:
        s.start()
        yield s
    finally:
        s.stop()


def q(s):
    return urllib.parse.quote(s)
