"""Guanxi's first-party tracker (`/t.js`) in a real browser: a demo shop page (e2e/fixtures/shop.html,
served here from its own origin) loads the script, which waits for consent, then sends the page
view, the clicks on `data-track` elements and the identify on sign-in in batches (sendBeacon);
the test reads the events and the customer's profile back through the API."""
import http.server
import os
import threading
import time
import uuid

import pytest
from playwright.sync_api import sync_playwright

from conftest import free_port

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "shop.html")


@pytest.fixture(scope="module")
def shop(server):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    status, _, made = server.json("POST", "/api/v1/event-sources", {"name": "演示网店 🍵", "allowed_origins": [origin]})
    assert status == 201, made
    page = open(FIXTURE, encoding="utf-8").read().replace("{{GUANXI}}", f"http://127.0.0.1:{server.port}").replace("{{KEY}}", made["write_key"])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"url": origin + "/", "source": made["source"]["id"]}
    httpd.shutdown()


def counters(server, source_id):
    status, _, sources = server.json("GET", "/api/v1/event-sources")
    assert status == 200
    return next(s for s in sources["items"] if s["id"] == source_id)


def wait_for(check, timeout=15):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.25)


def test_the_tracker_waits_for_consent_then_sends_pages_clicks_and_identify(server, shop):
    email = f"{uuid.uuid4().hex[:8]}@example.cn"
    status, _, customer = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "茶客", "emails": [email]})
    assert status == 201
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        script = server.request("GET", "/t.js", auth=False)
        assert script[0] == 200 and script[1]["Content-Type"].startswith("text/javascript") and b"sendBeacon" in script[2]
        page.goto(shop["url"])
        page.wait_for_function("window.guanxi !== undefined")
        # nothing is sent, nor kept in the browser, before consent
        page.click("#view-longjing")
        time.sleep(2.5)
        assert counters(server, shop["source"])["received"] == 0
        assert page.evaluate("localStorage.getItem('gx_aid')") is None
        page.click("#accept")
        page.click("#view-longjing")
        page.click("#add-longjing")
        page.click("#view-puer")
        page.fill("#email", email.upper())
        page.click("#sign-in-button")
        page.wait_for_selector("body[data-signed-in='1']")
        # leaving the page sends what is left
        page.goto("about:blank")
        browser.close()

    def events():
        status, _, got = server.json("GET", f"/api/v1/customers/{customer['id']}/events")
        assert status == 200
        return got["items"] if len(got["items"]) >= 5 else None

    items = wait_for(events)
    assert items, "the tracker's events did not arrive"
    kinds = sorted((i["type"], i["event"] or "") for i in items)
    assert kinds[:1] == [("identify", "")] and ("page", "茶铺 · 演示网店") in kinds, kinds
    viewed = [i for i in items if i["event"] == "Product Viewed"]
    assert {v["properties"]["name"] for v in viewed} == {"龙井 🍵", "普洱"}
    assert viewed[0]["properties"]["category"] in ("绿茶", "黑茶")
    status, _, c = server.json("GET", f"/api/v1/customers/{customer['id']}")
    profile = c["profile"]
    assert profile["products_viewed"][:2] == ["普洱", "龙井 🍵"] and profile["cart_value"] == 88, profile
    assert profile["page_views"] >= 1 and profile["device"], profile
    # the sign-in's traits reached the customer: the empty city was filled, the name staff typed kept
    assert c["name"] == "茶客" and c["addresses"][0]["city"] == "杭州", c
