"""The call centre against the real binary: a signed ringing webhook pops the caller's customer up
in an agent's open page within a second (and an unknown number offers the new-customer form with
the number filled in), click-to-call posts its signed body to a loopback HTTP sink standing in for
the telephone system, and the ended call is on the customer's timeline."""
import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
import uuid

from playwright.sync_api import expect

from test_browser import base, browser, page_for, sign_in  # noqa: F401  (browser is a fixture)


def settings(page, server):
    page.goto(base(server) + "/calls")
    codes = page.locator("#settings ~ dl code")
    return codes.nth(0).inner_text().strip(), codes.nth(1).inner_text().strip()


def post_event(server, hook_url, secret, body, msg_id=None, ts=None):
    raw = json.dumps(body, ensure_ascii=False).encode()
    msg_id = msg_id or "msg_" + uuid.uuid4().hex
    ts = str(ts or int(time.time()))
    key = base64.b64decode(secret[len("whsec_"):])
    sig = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + raw, hashlib.sha256).digest()).decode()
    path = hook_url[hook_url.index("/api/v1/"):]
    return server.request("POST", path, raw=raw, auth=False, headers={
        "Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": "v1," + sig})


def test_a_signed_ringing_webhook_pops_the_customer_up_within_a_second(server, browser):
    status, _, c = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "来电客户 📞", "phones": ["+86 138 0013 8000"]})
    assert status == 201, c
    admin_ctx, admin = page_for(browser)
    sign_in(admin, server)
    hook_url, secret = settings(admin, server)
    assert "/api/v1/hooks/telephony/gxt_" in hook_url and secret.startswith("whsec_")
    # a second page, the agent's, stays open on another screen
    agent_ctx, agent = page_for(browser, locale="en-US")
    sign_in(agent, server)
    agent.goto(base(server) + "/customers")
    agent.wait_for_timeout(500)  # the event stream connects
    call_id = "e2e-" + uuid.uuid4().hex
    t0 = time.time()
    status, _, payload = post_event(server, hook_url, secret, {"event": "ringing", "call_id": call_id, "from": "138 0013 8000", "to": "4008001234"})
    assert status == 200, payload
    pop = agent.locator(".call-pop")
    expect(pop).to_be_visible(timeout=1000)
    assert time.time() - t0 < 1.0 + 0.5  # the post's own round trip included
    assert "+8613800138000" in pop.inner_text()
    assert pop.locator("a").get_attribute("href") == f"/customers/{c['id']}"
    # the same message again is refused as a replay; a wrong signature as unauthorised
    msg = "msg_" + uuid.uuid4().hex
    assert post_event(server, hook_url, secret, {"event": "answered", "call_id": call_id, "from": "13800138000"}, msg_id=msg)[0] == 200
    assert post_event(server, hook_url, secret, {"event": "answered", "call_id": call_id, "from": "13800138000"}, msg_id=msg)[0] == 409
    assert post_event(server, hook_url, "whsec_" + base64.b64encode(b"x" * 32).decode(), {"event": "ended", "call_id": call_id})[0] == 401
    # answering takes the box away
    expect(pop).to_have_count(0, timeout=2000)
    assert post_event(server, hook_url, secret, {"event": "ended", "call_id": call_id, "from": "13800138000"})[0] == 200
    # the ended call is on the customer's timeline
    agent.goto(base(server) + f"/customers/{c['id']}")
    expect(agent.locator(".timeline")).to_contain_text("Call")
    expect(agent.locator(".timeline")).to_contain_text("answered")
    # an unknown number offers the new-customer form with the number filled in
    post_event(server, hook_url, secret, {"event": "ringing", "call_id": "e2e-" + uuid.uuid4().hex, "from": "+86 139 1111 2222"})
    expect(agent.locator(".call-pop")).to_be_visible(timeout=1000)
    agent.locator(".call-pop a").click()
    expect(agent.locator("input[name=phone]")).to_have_value("+8613911112222")
    agent.fill("input[name=name]", "新客户 陈")
    agent.click("form.stack button.primary")
    agent.wait_for_url("**/customers/*")
    expect(agent.locator("h1")).to_contain_text("新客户 陈")
    agent_ctx.close()
    admin_ctx.close()


class Sink(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Sink.received.append((dict(self.headers), body))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_click_to_call_posts_a_signed_body_to_the_dial_webhook(server, browser):
    sink = http.server.HTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        status, _, c = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "回拨客户", "phones": ["13700001111"]})
        assert status == 201, c
        ctx, page = page_for(browser)
        sign_in(page, server)
        # without a dial address the button says so in the page's language
        page.goto(base(server) + f"/customers/{c['id']}")
        page.locator("button[data-dial]").first.click()
        expect(page.locator(".flash")).to_contain_text("尚未设置点击拨号")
        _, secret = settings(page, server)
        page.fill("input[name=dial_url]", f"http://127.0.0.1:{sink.server_port}/dial")
        page.fill("textarea[name=extensions]", "8001 owner@example.com")
        page.click("form.stack button.primary")
        page.goto(base(server) + f"/customers/{c['id']}")
        page.locator("button[data-dial]").first.click()
        expect(page.locator(".flash")).to_contain_text("+8613700001111")
        headers, body = Sink.received[-1]
        sent = json.loads(body)
        assert sent["number"] == "+8613700001111" and sent["agent_extension"] == "8001" and sent["customer_id"] == c["id"]
        assert sent["request_id"].startswith("dial_") and headers["webhook-id"] == sent["request_id"]
        key = base64.b64decode(secret[len("whsec_"):])
        expected = base64.b64encode(hmac.new(key, f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body, hashlib.sha256).digest()).decode()
        assert headers["webhook-signature"] == "v1," + expected
        ctx.close()
    finally:
        sink.shutdown()


def test_a_server_with_agents_listening_stops_at_once_and_their_pages_reconnect(server, browser):
    # given an agent's page holding its screen-pop stream
    ctx, agent = page_for(browser)
    sign_in(agent, server)
    agent.goto(base(server) + "/customers")
    agent.wait_for_timeout(500)
    # when the server is asked to stop, it does not wait on the open stream
    t0 = time.time()
    server.proc.terminate()
    server.proc.wait(timeout=10)
    assert time.time() - t0 < 5, f"stopping took {time.time() - t0:.1f} s"
    # and once it is back, the page's stream connects again and a ringing call still pops up
    server.restart()
    status, _, c = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "重连后的来电", "phones": ["+86 139 0013 9000"]})
    assert status == 201, c
    admin_ctx, admin = page_for(browser)
    sign_in(admin, server)
    hook_url, secret = settings(admin, server)
    agent.wait_for_timeout(4000)  # EventSource retries after 3 s
    status, _, payload = post_event(server, hook_url, secret, {"event": "ringing", "call_id": "e2e-" + uuid.uuid4().hex, "from": "13900139000", "to": "4008001234"})
    assert status == 200, payload
    expect(agent.locator(".call-pop")).to_be_visible(timeout=3000)
    ctx.close(); admin_ctx.close()
