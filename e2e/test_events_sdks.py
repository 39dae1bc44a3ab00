"""Behaviour events from the tracking clients teams already use, installed from PyPI and pointed at
the test server, otherwise unchanged: Segment's and RudderStack's Python libraries (RudderStack with
gzip) and PostHog's. Each sends a page view, a track and an identify (they send them in batches),
flushes, and the test reads the events and the stitched profile back through the API."""
import subprocess
import time
import uuid

import pytest


def source_key(server, name):
    # the contract: the write key is the last line
    out = server.cli("source", "create", "--name", name).stdout.decode().strip().splitlines()
    return out[-1]


def customer_with_email(server, name):
    email = f"{uuid.uuid4().hex[:8]}@example.cn"
    status, _, c = server.json("POST", "/api/v1/customers", {"kind": "person", "name": name, "emails": [email]})
    assert status == 201, c
    return c["id"], email


def events_of(server, customer_id, want, timeout=10):
    deadline = time.time() + timeout
    while True:
        status, _, page = server.json("GET", f"/api/v1/customers/{customer_id}/events")
        assert status == 200, page
        if len(page["items"]) >= want or time.time() > deadline:
            return page["items"]
        time.sleep(0.2)


def check_profile(server, customer_id, kinds):
    items = events_of(server, customer_id, len(kinds))
    assert sorted(i["type"] for i in items) == sorted(kinds), items
    for i in items:
        assert {"type", "event", "timestamp", "properties"} <= set(i)
    times = [i["timestamp"] for i in items]
    assert times == sorted(times, reverse=True), "newest first"
    status, _, links = server.json("GET", f"/api/v1/customers/{customer_id}/event-links")
    assert status == 200 and any(d["reason"] == "email" for d in links["items"]), links
    return items


def run_segment_style(server, client, customer_id, email, anon, user):
    client.page(anonymous_id=anon, name="首页", properties={"url": "https://shop.example.cn/"})
    client.track(anonymous_id=anon, event="Product Viewed", properties={"名称": "龙井 🍵", "价格": 128})
    client.identify(user_id=user, anonymous_id=anon, traits={"email": email.upper()})
    client.track(user_id=user, event="Order Completed", properties={"total": 256})
    group = "acct-" + uuid.uuid4().hex[:8]
    client.group(user_id=user, group_id=group, traits={"name": "杭州茶叶 🍵 " + group})
    client.flush()
    client.join() if hasattr(client, "join") else None
    items = check_profile(server, customer_id, ["page", "track", "identify", "track", "group"])
    viewed = next(i for i in items if i["event"] == "Product Viewed")
    assert viewed["properties"]["名称"] == "龙井 🍵"
    # the group call made the organisation and put the person at it
    status, _, person = server.json("GET", f"/api/v1/customers/{customer_id}")
    assert status == 200 and person["organization_name"] == "杭州茶叶 🍵 " + group, person
    status, _, org = server.json("GET", f"/api/v1/customers/{person['organization_id']}")
    assert status == 200 and org["kind"] == "organization", org
    assert any(i.get("namespace") == "group" and i["value"] == group for i in org["identities"]), org


def test_segment_python(server):
    from segment.analytics import Client
    errors = []
    key = source_key(server, "Segment 网店")
    cid, email = customer_with_email(server, "赵六")
    c = Client(write_key=key, host=f"http://127.0.0.1:{server.port}", on_error=lambda e, batch: errors.append(e), max_retries=2)
    run_segment_style(server, c, cid, email, "seg-anon-" + uuid.uuid4().hex[:6], "seg-user-" + uuid.uuid4().hex[:6])
    c.shutdown()
    assert not errors, errors


def test_rudderstack_python_with_gzip(server):
    from rudderstack.analytics.client import Client
    errors = []
    key = source_key(server, "RudderStack 应用")
    cid, email = customer_with_email(server, "钱七")
    c = Client(write_key=key, host=f"http://127.0.0.1:{server.port}", gzip=True, on_error=lambda e, batch: errors.append(e), max_retries=2)
    run_segment_style(server, c, cid, email, "rs-anon-" + uuid.uuid4().hex[:6], "rs-user-" + uuid.uuid4().hex[:6])
    c.shutdown()
    assert not errors, errors


def test_posthog_python(server):
    from posthog import Posthog
    errors = []
    key = source_key(server, "PostHog 小程序")
    cid, email = customer_with_email(server, "孙八")
    anon, user = "ph-anon-" + uuid.uuid4().hex[:6], "ph-user-" + uuid.uuid4().hex[:6]
    p = Posthog(key, host=f"http://127.0.0.1:{server.port}", on_error=lambda e, batch: errors.append(e), max_retries=2)
    p.capture("$pageview", distinct_id=anon, properties={"$current_url": "https://shop.example.cn/茶"})
    p.capture("Product Viewed", distinct_id=anon, properties={"名称": "碧螺春 🍃"})
    p.alias(previous_id=anon, distinct_id=user)
    p.set(distinct_id=user, properties={"email": email})
    p.capture("Order Completed", distinct_id=user, properties={"total": 99})
    p.flush()
    p.shutdown()
    assert not errors, errors
    items = check_profile(server, cid, ["page", "track", "alias", "identify", "track"])
    assert any(i["properties"].get("名称") == "碧螺春 🍃" for i in items)


def test_retried_batches_are_stored_once_and_wrong_keys_refused(server):
    import json
    key = source_key(server, "重试")
    body = json.dumps({"batch": [{"type": "track", "event": "x", "anonymousId": "r-1", "messageId": f"r-{i}"} for i in range(5)]})
    for _ in range(3):
        status, _, answer = server.request("POST", "/v1/batch", raw=body.encode(), auth=False,
                                           headers={"Authorization": "Basic " + __import__("base64").b64encode(f"{key}:".encode()).decode()})
        assert status == 200 and json.loads(answer) == {"success": True}
    status, _, _ = server.request("POST", "/v1/batch", raw=body.encode(), auth=False, headers={"Authorization": "Basic d3Jvbmc6"})
    assert status == 401
    status, _, sources = server.json("GET", "/api/v1/event-sources")
    s = next(s for s in sources["items"] if s["name"] == "重试")
    assert (s["received"], s["stored"], s["duplicates"]) == (15, 5, 10)
