"""Insights and credit in a real browser (chromium through Playwright), at phone width: an order past
the customer's credit limit is held and released by the owner, the dashboard at /, the Insights
page's charts, and the customer list's score filters. Nothing may be wider than the screen."""
import json
import os
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import SHOTS


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield b
        b.close()


def base(server):
    return f"http://127.0.0.1:{server.port}"


def api(server, method, path, body=None):
    req = urllib.request.Request(base(server) + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_credit_hold_dashboard_and_charts_at_phone_width(server, browser):
    # order history, scored; a customer with a limit of ¥100 and an order of ¥250 (held)
    rows = ["customer_external_id,placed_at,amount,product"]
    for i in range(60):
        rows.append(f"茶客-{i % 12},2026-0{1 + i % 6}-1{i % 9},{80 + i * 3}.00,{'绿茶' if i % 3 else '乌龙 🍵'}")
    path = os.path.join(server.dir, "insights-history.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    server.cli("import", "orders", path)
    server.cli("analyze", "score", "--format", "json")
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "赊账的周老板"})
    api(server, "PUT", f"/api/v1/customers/{c['id']}/credit", {"limit": 10000, "currency": "CNY", "terms_days": 30})
    o = api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "茶具", "quantity": 1, "unit_price": 25000, "tax_rate": 0}]})
    assert o["credit_hold"] and "exceeds the credit limit" in o["credit_hold"]

    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(base(server) + "/")
    page.fill("input[name=email]", "owner@example.com")
    page.fill("input[name=password]", "e2e-Passw0rd")
    page.click("form button.primary")
    page.wait_for_url(base(server) + "/")
    # the dashboard: the key figures and the other blocks, each with its period
    expect(page.locator("#dash-kpis")).to_contain_text("复购率")
    expect(page.locator("#dash-collections")).to_contain_text("¥250.00")
    assert fits(page)
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "dashboard-phone.png"), full_page=True)
    # the held order: its reason in Chinese, released with a note
    page.goto(base(server) + f"/orders/{o['id']}")
    expect(page.locator(".credit-hold")).to_contain_text("超出信用额度")
    page.fill(".credit-hold input[name=note]", "老客户，同意赊销")
    page.click(".credit-hold button")
    expect(page.locator(".credit-hold")).to_have_count(0)
    assert api(server, "GET", f"/api/v1/orders/{o['id']}").get("credit_hold") is None
    # the credit report and the customer's credit page
    page.goto(base(server) + "/credit")
    expect(page.locator("table")).to_contain_text("赊账的周老板")
    assert fits(page)
    # the Insights page: every chart an SVG with its table, nothing wider than the phone
    page.goto(base(server) + "/insights")
    assert page.locator("figure.chart-card svg").count() >= 8
    assert fits(page)
    page.screenshot(path=os.path.join(SHOTS, "insights-phone.png"), full_page=True)
    # the customer list filters by churn risk and sorts by value
    page.goto(base(server) + "/customers")
    page.locator("details.tools summary").first.click()   # a phone folds the filters away
    page.select_option("select[name=sort]", "-clv")
    page.click("form.filters button")
    page.wait_for_url("**sort=-clv**")
    assert page.locator("table.list tbody tr").count() == 12
    assert fits(page)
    ctx.close()


def test_scorecard_and_incremental_run_in_three_languages_at_phone_and_desktop_width(server, browser):
    # some history (a model needs more than one buyer), an order owned by the owner this month, then a
    # second scoring run: incremental, touching one customer
    rows = ["customer_external_id,placed_at,amount,product"] + [f"老茶客-{i % 10},2026-0{1 + i % 6}-1{i % 9},{60 + i * 7}.00,红茶" for i in range(40)]
    path = os.path.join(server.dir, "scorecard-history.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    server.cli("import", "orders", path)
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "计分卡的李老板 🍵"})
    api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "龙井", "quantity": 2, "unit_price": 15000, "tax_rate": 0}]})
    first = api(server, "POST", "/api/v1/insights/score-runs", {"period": "week", "full": True})
    import time
    for _ in range(300):
        if api(server, "GET", f"/api/v1/insights/score-runs/{first['id']}")["status"] != "running":
            break
        time.sleep(0.1)
    o = api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "茶壶", "quantity": 1, "unit_price": 9000, "tax_rate": 0}]})
    api(server, "POST", f"/api/v1/orders/{o['id']}/payments", {"amount": 9000, "method": "支付宝"})
    run = api(server, "POST", "/api/v1/insights/score-runs", {"period": "week"})
    assert run["kind"] == "incremental" and run["base_run_id"] == first["id"]
    for _ in range(300):
        run = api(server, "GET", f"/api/v1/insights/score-runs/{run['id']}")
        if run["status"] != "running":
            break
        time.sleep(0.1)
    assert run["status"] == "done" and run["touched"] == 1, run
    sheet = api(server, "GET", "/api/v1/scorecards")
    assert sheet["period"] and any(r["kind"] == "user" for r in sheet["items"]), sheet
    os.makedirs(SHOTS, exist_ok=True)
    for locale, word in [("zh-CN", "平衡计分卡"), ("zh-TW", "平衡計分卡"), ("en", "Balanced scorecard")]:
        for width in (390, 1280):
            ctx = browser.new_context(viewport={"width": width, "height": 844}, locale=locale)
            page = ctx.new_page()
            page.goto(base(server) + "/")
            page.fill("input[name=email]", "owner@example.com")
            page.fill("input[name=password]", "e2e-Passw0rd")
            page.click("form button.primary")
            page.wait_for_url(base(server) + "/")
            expect(page.locator("#dash-scorecard")).to_contain_text(word)
            page.click("#dash-scorecard a >> nth=0")
            expect(page.locator("h1")).to_contain_text(word)
            expect(page.locator("table.list")).to_contain_text("¥")
            assert fits(page), f"scorecard wider than {width} px in {locale}"
            page.screenshot(path=os.path.join(SHOTS, f"scorecard-{locale}-{width}.png"), full_page=True)
            page.goto(base(server) + "/insights")
            expect(page.locator(".insights-run")).to_contain_text({"zh-CN": "增量", "zh-TW": "增量", "en": "incremental"}[locale])
            assert fits(page)
            if width == 390:
                page.screenshot(path=os.path.join(SHOTS, f"insights-run-{locale}.png"), full_page=False)
            ctx.close()
