"""Access end to end: browser sign-in with a session cookie and CSRF over real HTTP, masking for a
weaker role, and `guanxi audit verify` catching an edited audit entry in the real database."""
import json
import os
import sqlite3
import subprocess
import urllib.error
import urllib.request


def post_json(server, path, body, headers=None):
    h = {"Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=json.dumps(body).encode(), method="POST", headers=h)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_browser_sign_in_sets_a_cookie_and_writes_need_the_csrf_token(server):
    status, headers, body = post_json(server, "/api/v1/auth/sign-in", {"email": "owner@example.com", "password": "e2e-Passw0rd"})
    assert status == 200, body
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    jar = {"Cookie": cookie.split(";")[0]}
    csrf = json.loads(body)["csrf_token"]
    status, _, _ = server.request("GET", "/api/v1/me", headers=jar, auth=False)
    assert status == 200
    status, _, _ = post_json(server, "/api/v1/customers", {"kind": "person", "name": "跨站"}, jar)
    assert status == 403
    status, _, body = post_json(server, "/api/v1/customers", {"kind": "person", "name": "王芳", "phones": ["13912345678"]},
                                {**jar, "X-CSRF-Token": csrf})
    assert status == 201, body


def test_a_read_only_user_sees_phones_masked(server):
    server.cli("user", "create", "--email", "viewer@example.com", "--password", "viewer-Passw0rd", "--role", "read_only")
    token = server.cli("token", "create", "--email", "viewer@example.com", "--name", "v").stdout.decode().strip().splitlines()[-1]
    status, _, body = server.request("GET", "/api/v1/search?q=%E7%8E%8B%E8%8A%B3", headers={"Authorization": f"Bearer {token}"}, auth=False)
    assert status == 200
    phones = [p for c in json.loads(body)["items"] for p in c["phones"]]
    assert phones and all("****" in p for p in phones)


def test_audit_verify_passes_then_catches_an_edited_entry(server):
    ok = server.cli("audit", "verify")
    assert b"chain intact" in ok.stdout
    # tamper with the stored log the way someone with database access would
    url = server.env.get("GUANXI_DATABASE_URL")
    if url:
        subprocess.run(["psql", url, "-qc", "DROP TRIGGER audit_log_no_change ON audit_log; UPDATE audit_log SET action = 'read' WHERE seq = 2"],
                       check=True)
    else:
        db = sqlite3.connect(os.path.join(server.dir, "guanxi.sqlite"))
        db.executescript("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'read' WHERE seq = 2;")
        db.close()
    broken = server.cli("audit", "verify", check=False)
    assert broken.returncode == 1
    assert b"BROKEN" in broken.stdout and b"entry 2" in broken.stdout


def post_from(server, source, path, body, headers=None):
    """A POST whose connection comes from another loopback address (a different client)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("POST", path, body=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def test_failures_from_one_client_do_not_lock_the_account_for_another(server):
    server.cli("user", "create", "--email", "victim@example.com", "--password", "victim-Passw0rd", "--role", "sales_rep")
    wrong = {"email": "victim@example.com", "password": "not-the-password"}
    right = {"email": "victim@example.com", "password": "victim-Passw0rd"}
    # an attacker at 127.0.0.2 fails five times, each time claiming to be someone else
    for i in range(5):
        status, _ = post_from(server, "127.0.0.2", "/api/v1/auth/sign-in", wrong, {"X-Forwarded-For": f"198.51.100.{i}"})
        assert status == 401
    status, _ = post_from(server, "127.0.0.2", "/api/v1/auth/sign-in", right, {"X-Forwarded-For": "198.51.100.77"})
    assert status == 429
    # the account's owner at 127.0.0.3 signs in as usual
    status, body = post_from(server, "127.0.0.3", "/api/v1/auth/sign-in", right)
    assert status == 200, body
    # and the attacker stays locked
    status, _ = post_from(server, "127.0.0.2", "/api/v1/auth/sign-in", right)
    assert status == 429


def test_another_users_idempotency_key_does_not_replay_their_private_record(server):
    server.cli("user", "create", "--email", "rep@example.com", "--password", "rep-Passw0rd", "--role", "sales_rep")
    rep = server.cli("token", "create", "--email", "rep@example.com", "--name", "r").stdout.decode().strip().splitlines()[-1]
    status, _, me = server.json("GET", "/api/v1/me")
    owner_id = me["user"]["id"] if "user" in me else me["user_id"]
    body = {"kind": "person", "name": "机密客户", "emails": ["secret@idem.example"], "owner_id": owner_id}
    status, _, created = server.json("POST", "/api/v1/customers", body, headers={"Idempotency-Key": "K-e2e"})
    assert status == 201, created
    as_rep = {"Authorization": f"Bearer {rep}"}
    assert server.request("GET", f"/api/v1/customers/{created['id']}", headers=as_rep, auth=False)[0] == 404
    status, h, payload = post_json(server, "/api/v1/customers", body, {**as_rep, "Idempotency-Key": "K-e2e"})
    assert status == 403 and "Idempotent-Replayed" not in h, (status, payload)
    assert created["id"].encode() not in payload
