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
