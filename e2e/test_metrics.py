"""`/metrics` read by the Prometheus project's own Python client parser (prometheus_client, from
PyPI), request ids and the request log, and the status API, against the real server."""
import json
import os
import re

import pytest

prometheus = pytest.importorskip("prometheus_client.parser")


def scrape(server, headers=None):
    status, h, body = server.request("GET", "/metrics", headers=headers, auth=False)
    return status, h, body.decode()


def families(text):
    return {f.name: f for f in prometheus.text_string_to_metric_families(text)}


def test_loopback_scrape_without_a_token_parses_as_prometheus_text(server):
    # given some traffic: a customer created and read by its id, an unknown address, a failed sign-in
    status, _, c = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "王小明 🐉"})
    assert status == 201
    for _ in range(3):
        assert server.json("GET", f"/api/v1/customers/{c['id']}")[0] == 200
    assert server.request("GET", f"/api/v1/nothing-here/{c['id']}")[0] == 404
    assert server.json("POST", "/api/v1/auth/sign-in", {"email": "owner@example.com", "password": "wrong"}, auth=False)[0] == 401

    # when /metrics is read from the loopback interface without a token
    status, h, text = scrape(server)

    # then it is the text format 0.0.4, and the real parser reads every family
    assert status == 200
    assert h["Content-Type"].startswith("text/plain; version=0.0.4")
    fams = families(text)
    assert fams["guanxi_http_requests"].type == "counter"
    assert fams["guanxi_http_request_duration_seconds"].type == "histogram"
    assert fams["guanxi_db_write_wait_seconds"].type == "histogram"
    for name in ["guanxi_db_connections", "guanxi_queue_depth", "guanxi_schema_version", "guanxi_build_info"]:
        assert fams[name].type == "gauge", name

    # requests are labelled by route pattern: the raw id never appears
    assert c["id"] not in text
    by_route = {(s.labels["method"], s.labels["route"], s.labels["status"]): s.value
                for s in fams["guanxi_http_requests"].samples if s.name == "guanxi_http_requests_total"}
    assert by_route[("GET", "/api/v1/customers/{id}", "2xx")] == 3
    assert by_route[("GET", "unmatched", "4xx")] == 1
    assert by_route[("POST", "/api/v1/auth/sign-in", "4xx")] == 1

    # histogram buckets are cumulative and end in +Inf == count
    hist = [s for s in fams["guanxi_http_request_duration_seconds"].samples if s.labels.get("route") == "/api/v1/customers/{id}"]
    buckets = [s for s in hist if s.name.endswith("_bucket")]
    values = [s.value for s in buckets]
    assert values == sorted(values) and buckets[-1].labels["le"] == "+Inf"
    count = next(s.value for s in hist if s.name.endswith("_count"))
    assert buckets[-1].value == count == 3

    # the database, queues and sign-ins are there
    pools = {(s.labels["pool"], s.labels["state"]) for s in fams["guanxi_db_connections"].samples}
    assert ("writer", "idle") in pools or ("server", "idle") in pools
    queues = {s.labels["queue"]: s.value for s in fams["guanxi_queue_depth"].samples}
    assert set(queues) == {"ingest", "webhook_pending", "webhook_dead", "mail_pending", "mail_failed", "search_index"}
    failures = next(s.value for s in fams["guanxi_sign_in_failures"].samples)
    assert failures >= 1


def test_a_relayed_or_remote_scrape_needs_a_token_that_may_read_settings(server):
    # given a request relayed by a proxy on this host
    status, _, _ = scrape(server, {"X-Forwarded-For": "203.0.113.7"})
    # then it is refused without a token, and read with the owner's
    assert status == 401
    status, _, text = scrape(server, {"X-Forwarded-For": "203.0.113.7", "Authorization": f"Bearer {server.token}"})
    assert status == 200 and "guanxi_http_requests_total" in text
    status, _, _ = scrape(server, {"Authorization": "Bearer gx_wrong"})
    assert status == 401


def test_request_ids_come_back_and_the_log_has_one_json_line_per_request(server):
    # given a request with its own id and a query that could hold a secret
    status, h, _ = server.request("GET", "/api/v1/customers?q=very-secret-query", headers={"X-Request-Id": "e2e-trace-42"})
    assert status == 200 and h["X-Request-Id"] == "e2e-trace-42"
    # and one with an unsafe id, which is replaced
    _, h2, _ = server.request("GET", "/api/v1/customers", headers={"X-Request-Id": "no spaces allowed"})
    assert re.fullmatch(r"[0-9a-f-]{36}", h2["X-Request-Id"])
    # then the server's log holds the request as one JSON object, without the query or the token
    log = open(os.path.join(server.dir, "serve.log"), encoding="utf-8", errors="replace").read()
    lines = [json.loads(l) for l in log.splitlines() if l.startswith("{")]
    mine = [l for l in lines if l.get("request_id") == "e2e-trace-42"]
    assert len(mine) == 1
    assert mine[0]["route"] == "/api/v1/customers" and mine[0]["status"] == 200 and mine[0]["method"] == "GET"
    assert mine[0]["workspace_id"] and mine[0]["user_id"] and mine[0]["duration_ms"] >= 0
    assert "very-secret-query" not in log and server.token not in log


def test_the_status_api_reports_to_the_owner(server):
    status, _, s = server.json("GET", "/api/v1/status")
    assert status == 200
    assert s["schema"]["current"] == s["schema"]["latest"] > 0
    assert s["database"]["kind"] in ("sqlite", "postgres") and s["database"]["size_bytes"] > 0
    assert s.get("last_backup") is None   # absent until a backup is recorded
    assert {q["name"] for q in s["queues"]} >= {"webhook_pending", "mail_pending"}
    assert server.request("GET", "/api/v1/status", auth=False)[0] == 401
