"""The API shape outside checks rely on, exercised against the real server."""
from conftest import q


def test_health_reports_database_and_schema(server):
    status, _, body = server.json("GET", "/health", auth=False)
    assert status == 200
    assert body["status"] == "ok" and body["schema_version"] == body["schema_latest"] >= 1


def test_api_refuses_requests_without_a_token(server):
    status, _, body = server.json("GET", "/api/v1/customers", auth=False)
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_create_read_update_with_etag_and_stale_write(server):
    status, h, c = server.json("POST", "/api/v1/customers",
                               {"kind": "person", "name": "王小明", "emails": [" Wang.XM@Example.COM "], "phones": ["138 1234 5678"]})
    assert status == 201, c
    assert c["id"] and c["name"] == "王小明"
    assert c["emails"] == ["wang.xm@example.com"] and c["phones"] == ["+8613812345678"]
    status, h, got = server.json("GET", f"/api/v1/customers/{c['id']}")
    assert status == 200 and got["name"] == "王小明"
    etag = h["ETag"]
    status, h2, upd = server.json("PATCH", f"/api/v1/customers/{c['id']}", {"tier": "VIP"}, headers={"If-Match": etag})
    assert status == 200 and upd["tier"] == "VIP" and h2["ETag"] != etag
    status, _, err = server.json("PATCH", f"/api/v1/customers/{c['id']}", {"tier": "A"}, headers={"If-Match": etag})
    assert status == 412 and err["error"]["code"] == "version_conflict"


def test_search_finds_two_character_chinese_queries(server):
    for name in ["王芳", "王芳芳", "李雷"]:
        assert server.json("POST", "/api/v1/customers", {"kind": "person", "name": name})[0] == 201
    status, _, body = server.json("GET", "/api/v1/search?q=" + q("小明"))
    assert status == 200 and "王小明" in [c["name"] for c in body["items"]]
    names = [c["name"] for c in server.json("GET", "/api/v1/search?q=" + q("王芳"))[2]["items"]]
    assert "王芳" in names and "王芳芳" in names and "李雷" not in names


def test_validation_errors_name_fields_and_malformed_json_is_400(server):
    status, _, body = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "", "emails": ["not-an-email"]})
    assert status == 422
    assert "name" in body["error"]["fields"] and "emails[0]" in body["error"]["fields"]
    status, _, payload = server.request("POST", "/api/v1/customers", raw=b"{not json", headers={"Content-Type": "application/json"})
    assert status == 400


def test_oversized_body_is_413(server):
    big = b'{"kind":"person","name":"' + b"x" * (2 << 20) + b'"}'
    status, _, _ = server.request("POST", "/api/v1/customers", raw=big, headers={"Content-Type": "application/json"})
    assert status == 413


def test_idempotency_key_replays_the_first_answer(server):
    body = {"kind": "organization", "name": "深圳星辰科技有限公司"}
    s1, _, a = server.json("POST", "/api/v1/customers", body, headers={"Idempotency-Key": "k-1"})
    s2, h2, b = server.json("POST", "/api/v1/customers", body, headers={"Idempotency-Key": "k-1"})
    assert s1 == s2 == 201 and a["id"] == b["id"] and h2.get("Idempotent-Replayed") == "true"


def test_openapi_document_is_served(server):
    status, _, doc = server.json("GET", "/api/openapi.json", auth=False)
    assert status == 200 and doc["openapi"].startswith("3.1")
    assert "/api/v1/customers/{id}" in doc["paths"] and "patch" in doc["paths"]["/api/v1/customers/{id}"]
