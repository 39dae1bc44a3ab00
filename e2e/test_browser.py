"""The web application in a real browser (Debian's chromium through Playwright, headless):
sign in, create 王小明, find him by typing 小明, log a visit, edit conflict in two tabs, switch to
繁體, and a rep kept out of another team's customer. Screenshots of each main page at 1280×800 and
390×844 go to e2e/screenshots/ (git-ignored) for people to look at."""
import json
import os
import time
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import SHOTS, layout_only
SIZES = {"desktop": (1280, 800), "phone": (390, 844), "narrow": (360, 740)}   # 360 px: the narrowest the issue asks for


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield b
        b.close()


def base(server):
    return f"http://127.0.0.1:{server.port}"


def page_for(browser, size="desktop", locale="zh-CN"):
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h}, locale=locale)
    return ctx, ctx.new_page()


def sign_in(page, server, email="owner@example.com", password="e2e-Passw0rd"):
    page.goto(base(server) + "/customers")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button.primary")
    page.wait_for_url("**/customers")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, name + ".png"), full_page=True)


def test_create_find_and_log_a_visit(server, browser):
    ctx, page = page_for(browser)
    sign_in(page, server)
    shot(page, "list-desktop")
    # the list exports what it shows, as CSV
    page.select_option("select[name=stage]", "prospect")
    page.click("form.filters button")
    with page.expect_download() as d:
        page.click("a[href^='/api/v1/exports/customers.csv?stage=prospect']")
    assert open(d.value.path(), encoding="utf-8-sig").readline().startswith("id,kind,name")
    # create 王小明 with a phone
    page.click("a[href='/customers/new']")
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=phones]", "138 1234 5678")
    page.fill("input[name=tags]", "VIP，华东")
    shot(page, "new-desktop")
    page.click("form button.primary")
    expect(page.locator("h1")).to_have_text("王小明")
    expect(page.locator(".facts").first).to_contain_text("138 1234 5678")   # grouped for reading; the tel: link keeps +86
    # find him by typing 小明 in the search box
    page.fill("input[data-suggest]", "小明")
    link = page.locator(".suggest a", has_text="王小明").first
    expect(link).to_be_visible()
    link.click()
    # log a visit and see it on the timeline
    page.select_option("select[name=kind]", "visit")
    page.fill("input[name=subject]", "上门拜访：演示新品")
    page.click("form.activity button")
    expect(page.locator(".timeline li").first).to_contain_text("上门拜访：演示新品")
    expect(page.locator(".timeline li").first).to_contain_text("拜访")
    shot(page, "customer-desktop")
    ctx.close()


def test_two_tabs_editing_the_same_customer_get_a_conflict_message(server, browser):
    ctx, first = page_for(browser)
    sign_in(first, server)
    first.click("a[href='/customers/new']")
    first.fill("input[name=name]", "李雷")
    first.click("form button.primary")
    url = first.url
    second = ctx.new_page()
    first.goto(url + "/edit")
    second.goto(url + "/edit")
    first.fill("input[name=name]", "李雷（第一）")
    first.click("form button.primary")
    expect(first.locator("h1")).to_have_text("李雷（第一）")
    second.fill("input[name=name]", "李雷（第二）")
    second.click("form button.primary")
    expect(second.locator(".flash")).to_contain_text("别人已经修改了这条记录")
    expect(second.locator("input[name=name]")).to_have_value("李雷（第一）")
    shot(second, "conflict-desktop")
    ctx.close()


def test_switching_to_traditional_chinese_translates_the_page(server, browser):
    ctx, page = page_for(browser, size="phone")
    sign_in(page, server)
    shot(page, "list-phone")
    page.click("nav.langs a[href*='zh-Hant']")
    expect(page.locator("h1")).to_have_text("客戶")
    expect(page.locator("a[href='/customers/new']")).to_have_text("新增客戶")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    shot(page, "list-phone-zh-hant")
    page.locator("table.list tbody a").first.click()
    shot(page, "customer-phone")
    # nothing sticks out sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ctx.close()


def api(server, method, path, body=None, token=None):
    req = urllib.request.Request(base(server) + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token or server.token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def test_a_rep_cannot_open_another_teams_customer(server, browser):
    # given two reps in different teams, and a customer owned by the second
    ids = {}
    for who in ("east", "west"):
        server.cli("user", "create", "--email", f"{who}@example.com", "--password", f"{who}-Passw0rd", "--role", "sales_rep")
    for m in api(server, "GET", "/api/v1/users")["items"]:
        ids[m["email"]] = m["id"]
    api(server, "POST", "/api/v1/teams", {"name": "华东", "member_ids": [ids["east@example.com"]]})
    api(server, "POST", "/api/v1/teams", {"name": "华西", "member_ids": [ids["west@example.com"]]})
    theirs = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "华西的客户", "owner_id": ids["west@example.com"]})
    # when the east rep opens it in the browser
    ctx, page = page_for(browser)
    sign_in(page, server, "east@example.com", "east-Passw0rd")
    response = page.goto(base(server) + "/customers/" + theirs["id"])
    # then the page says it cannot be found, without showing it
    assert response.status == 404
    expect(page.locator(".flash")).to_contain_text("找不到")
    assert "华西的客户" not in page.content()
    ctx.close()


def test_import_wizard_reports_bad_rows_and_imports_the_rest(server, browser, tmp_path):
    # given a 200-row CSV with Chinese headers and three bad rows (two bad emails, one without a name or contact)
    rows = ["姓名,手机,邮箱,公司,城市,标签"]
    for i in range(200):
        email = f"buyer{i}@example.com"
        name = f"导入客户{i}"
        phone = f"1370000{i:04d}"
        if i == 20:
            email = "not-an-email"
        if i == 90:
            email = "also@bad@example"
        if i == 150:
            name, phone, email = "", "", ""
        rows.append(f"{name},{phone},{email},测试公司{i % 7},上海,导入")
    path = tmp_path / "customers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.goto(base(server) + "/imports/new")
    page.set_input_files("input[name=file]", str(path))
    page.click("form button.primary")
    # the columns were recognised from the Chinese headers
    expect(page.locator("select[name=col_0]")).to_have_value("name")
    expect(page.locator("select[name=col_2]")).to_have_value("email")
    shot(page, "import-map-desktop")
    # a dry run first: nothing written, the three bad lines named
    page.click("button[value=dry_run]")
    expect(page.locator("text=试运行结果")).to_be_visible(timeout=20000)
    expect(page.locator("table.errors tbody tr")).to_have_count(3)
    # then the import itself
    page.click("button[value=import]")
    expect(page.locator("table.errors")).to_be_visible(timeout=20000)
    body = page.locator("main").inner_text()
    assert "新建 197" in body and "拒绝 3" in body, body
    lines = sorted(int(t) for t in page.locator("table.errors tbody tr td:first-child").all_inner_texts())
    assert lines == [22, 92, 152]
    shot(page, "import-result-desktop")
    with page.expect_download() as d:
        page.click("a[download]")
    report = open(d.value.path(), encoding="utf-8-sig").read()
    report_lines = report.strip().splitlines()
    assert len(report_lines) == 4 and [l.split(",")[0] for l in report_lines[1:]] == ["22", "92", "152"]
    ctx.close()


def test_settings_tokens_fields_roles_and_the_audit_log(server, browser):
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.click("nav.main-nav a[href^='/settings/']")
    expect(page.locator("nav.tabs a[aria-current]")).to_have_text("成员")
    shot(page, "settings-users-desktop")
    # a sensitive custom field
    page.click("nav.tabs a[href='/settings/fields']")
    page.fill("form.inline input[name=key]", "id_card")
    page.fill("form.inline input[name=label]", "身份证号")
    page.check("form.inline input[name=sensitive]")
    page.click("form.inline button")
    expect(page.locator("table.list")).to_contain_text("身份证号")
    # an API token, shown once and usable
    page.click("nav.tabs a[href='/settings/tokens']")
    page.fill("form.inline input[name=name]", "ERP 同步")
    page.click("form.inline button")
    secret = page.locator(".flash code").inner_text()
    assert secret.startswith("gx_")
    req = urllib.request.Request(base(server) + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert json.loads(r.read())["role"] == "owner"
    page.reload()
    assert secret not in page.content()
    shot(page, "settings-tokens-desktop")
    # the audit log lists what happened and its chain verifies
    page.click("nav.tabs a[href='/settings/audit']")
    expect(page.locator("table.list")).to_contain_text("自定义字段")
    page.click("a[href='/settings/audit?verify=1']")
    expect(page.locator(".flash")).to_contain_text("哈希链完整")
    shot(page, "settings-audit-desktop")
    ctx.close()


def test_duplicates_merge_side_by_side_and_undo(server, browser):
    a = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "周杰", "phones": ["13600001111"], "stage": "lead"})
    b = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "周杰", "emails": ["zhoujie@example.com"], "stage": "customer"})
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.goto(base(server) + "/customers/" + a["id"])
    # the 360 page suggests the duplicate
    expect(page.locator("text=可能重复的客户")).to_be_visible()
    page.click(f"a[href='/customers/{a['id']}/merge/{b['id']}']")
    shot(page, "merge-desktop")
    # keep the other's stage, merge
    page.check("input[name=f_stage][value=merged]")
    page.click("form button.primary")
    expect(page.locator("form.flash")).to_contain_text("已合并")
    facts = page.locator(".facts").first.inner_text()
    assert "客户" in facts and "136 0000 1111" in facts and "zhoujie@example.com" in facts
    # and undo restores both
    page.click("form.flash button")
    expect(page.locator(".facts").first).not_to_contain_text("zhoujie@example.com")
    assert api(server, "GET", "/api/v1/customers/" + b["id"])["emails"] == ["zhoujie@example.com"]
    ctx.close()


def test_bulk_tag_and_assign_from_the_list(server, browser):
    for i in range(3):
        api(server, "POST", "/api/v1/customers", {"kind": "person", "name": f"批量{i}", "stage": "lead"})
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.goto(base(server) + "/customers?stage=lead")
    rows = page.locator("table.list tbody tr", has_text="批量")
    for i in range(rows.count()):
        rows.nth(i).locator("input[type=checkbox]").check()
    page.select_option("select[name=action]", "tag")
    page.fill(".bulk input[name=tag]", "展会2026")
    page.click(".bulk button")
    expect(page.locator(".flash")).to_contain_text("已更新的客户数：3")
    expect(page.locator("table.list tbody tr", has_text="批量").first).to_contain_text("展会2026")
    # assign them to the owner
    rows = page.locator("table.list tbody tr", has_text="批量")
    for i in range(rows.count()):
        rows.nth(i).locator("input[type=checkbox]").check()
    page.select_option("select[name=action]", "assign")
    page.click(".bulk button")
    expect(page.locator(".flash")).to_contain_text("已更新的客户数：3")
    me = api(server, "GET", "/api/v1/me")["user_id"]
    owned = api(server, "GET", "/api/v1/customers?tag=" + urllib.parse.quote("展会2026"))["items"]
    owners = {c["owner_id"] for c in owned}
    assert me and len(owned) == 3 and len(owners) == 1 and None not in owners
    assert owners <= {m["id"] for m in api(server, "GET", "/api/v1/users")["items"]}
    shot(page, "bulk-desktop")
    ctx.close()


def test_saved_views_keep_the_filters(server, browser):
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.goto(base(server) + "/customers?stage=lead&tag=" + urllib.parse.quote("展会2026"))
    page.fill(".save-view input[name=name]", "展会线索")
    page.click(".save-view button")
    view = page.locator(".view a", has_text="展会线索")
    expect(view).to_have_attribute("aria-current", "page")
    page.goto(base(server) + "/customers")
    page.click(".view a:has-text('展会线索')")
    expect(page.locator("select[name=stage]")).to_have_value("lead")
    expect(page.locator("input[name=tag]").first).to_have_value("展会2026")
    shot(page, "views-desktop")
    # and it can be removed
    page.click(".view button")
    expect(page.locator(".view")).to_have_count(0)
    ctx.close()


def test_the_timeline_loads_more_as_you_scroll(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "老客户赵敏"})
    for i in range(60):
        api(server, "POST", f"/api/v1/customers/{c['id']}/notes", {"body": f"第{i}次回访"})
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.goto(base(server) + "/customers/" + c["id"])
    expect(page.locator(".timeline li")).to_have_count(50)
    page.locator("a[data-more]").scroll_into_view_if_needed()
    expect(page.locator(".timeline li")).to_have_count(61)
    expect(page.locator("a[data-more]")).to_have_count(0)
    # tags in use are listed in settings
    page.goto(base(server) + "/settings/tags")
    expect(page.locator("table.list")).to_contain_text("VIP")
    ctx.close()


# Accessibility rules every page keeps (WCAG 2.1 AA where a script can tell): every control has an
# accessible name, every image an alt, one h1, html lang set, text contrast ≥ 4.5:1 (3:1 for large
# text), and nothing sticks out sideways at 390 px.
A11Y_JS = r"""
() => {
  const problems = [];
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const name = el => (el.getAttribute('aria-label') || '').trim()
    || (el.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id)?.textContent || '').join('').trim()
    || (el.labels && [...el.labels].map(l => l.textContent).join('').trim())
    || (el.closest('label')?.textContent || '').trim()
    || (['BUTTON', 'A'].includes(el.tagName) ? el.textContent.trim() : '')
    || (el.getAttribute('title') || '').trim();
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')) {
    if (visible(el) && !name(el)) problems.push('no accessible name: ' + el.outerHTML.slice(0, 120));
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
  if (document.querySelectorAll('h1').length !== 1) problems.push('h1 count ' + document.querySelectorAll('h1').length);
  if (!document.documentElement.lang) problems.push('html without lang');
  const rgb = c => { const m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number); };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    const fg = rgb(s.color).slice(0, 3), b = bg(el);
    const [l1, l2] = [lum(fg), lum(b)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && parseInt(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)} on "${el.textContent.trim().slice(0, 30)}" (${s.color} on rgb(${b}))`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push('wider than the window: ' + document.documentElement.scrollWidth);
  return problems;
}
"""


@layout_only
def test_every_main_page_is_accessible_at_both_sizes(server, browser):
    # a customer with something on every part of the 360 page
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "欧阳娜娜", "phones": ["17799990001"],
                                                  "emails": ["nana.a11y@example.com"], "tags": ["VIP", "华南"], "tier": "A"})
    api(server, "POST", f"/api/v1/customers/{c['id']}/notes", {"body": "喜欢周末联系 😀"})
    pages = {"list": "/customers", "customer": "/customers/" + c["id"], "new": "/customers/new", "edit": f"/customers/{c['id']}/edit",
             "import": "/imports/new", "settings-users": "/settings/users", "settings-tags": "/settings/tags",
             "settings-fields": "/settings/fields", "settings-audit": "/settings/audit", "settings-status": "/settings/status",
             "leads": "/leads", "new-lead": "/leads/new",
             "settings-lead-rules": "/settings/lead_rules", "settings-lead-sources": "/settings/lead_sources", "deals": "/deals",
             "new-deal": "/deals/new?customer_id=" + c["id"], "today": "/today", "orders": "/orders", "quotes": "/quotes",
             "products": "/products", "reports": "/reports", "new-quote": "/quotes/new?customer_id=" + c["id"],
             "new-order": "/orders/new?customer_id=" + c["id"]}
    # a sent quote and a part-paid order on credit, so their pages show every section
    q = api(server, "POST", "/api/v1/quotes", {"customer_id": c["id"], "title": "年度茶叶采购", "terms": "款到发货",
                                                  "lines": [{"name": "西湖龙井 250g", "quantity": 12, "unit_price": 58800, "discount": 5, "tax_rate": 9}]})
    api(server, "POST", f"/api/v1/quotes/{q['id']}/status", {"status": "sent"})
    o = api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "茶具套装 🍵", "quantity": 3, "unit_price": 29900, "tax_rate": 13}]})
    api(server, "PUT", f"/api/v1/orders/{o['id']}/collection-plan",
        {"instalments": [{"due_date": "2026-01-31", "amount": o["totals"]["total"] - 50000}, {"due_date": "2027-12-31", "amount": 50000}]})
    api(server, "POST", f"/api/v1/orders/{o['id']}/payments", {"amount": 20000, "method": "微信支付"})
    api(server, "POST", f"/api/v1/orders/{o['id']}/shipments", {"carrier": "顺丰速运", "tracking_number": "SF1234567890"})
    pages.update({"quote": "/quotes/" + q["id"], "quote-print": f"/quotes/{q['id']}/print", "order": "/orders/" + o["id"]})
    # tickets of two types, one answered, so the queue, a ticket and the service reports have rows and charts
    t1 = api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "茶叶罐破损，要求换货 😢", "body": "收到时罐子已经压扁了。",
                                                  "type": "complaint", "priority": "high", "channel": "phone"})
    api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "发票抬头", "body": "请开增值税专用发票", "type": "inquiry", "channel": "email"})
    api(server, "POST", f"/api/v1/tickets/{t1['id']}/messages", {"kind": "reply", "body": "您好，已为您安排换货。"})
    # a canned reply offered on the ticket, and a note mentioning its owner
    api(server, "POST", "/api/v1/service/canned-replies", {"title": "换货说明", "bodies": {"zh-Hans": "{{customer.name}}您好", "en": "Hello"}})
    api(server, "POST", f"/api/v1/tickets/{t1['id']}/messages", {"kind": "note", "body": "@owner 请确认库存"})
    pages.update({"tickets": "/tickets", "ticket": "/tickets/" + t1["id"], "service-reports": "/service/reports",
                  "canned-replies": "/service/canned-replies"})
    # a defect grouped into a fixed product issue with a tracker reference, another defect it is suggested for
    d1 = api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "茶叶罐密封圈漏气，茶叶受潮了", "body": "第二次遇到了。", "type": "defect"})
    d2 = api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "罐子的密封圈好像漏气", "body": "龙井受潮 😢", "type": "product_feedback"})
    issue = api(server, "POST", "/api/v1/service/product-issues", {"title": "茶叶罐密封圈漏气（2026 年秋季批次）", "ticket_id": d1["id"]})
    api(server, "POST", f"/api/v1/service/product-issues/{issue['id']}/status",
        {"status": "fixed", "external_ref": "PROD-1024", "external_url": "https://tracker.example.cn/PROD-1024"})
    pages.update({"product-issues": "/service/product-issues?sort=revenue", "product-issue": "/service/product-issues/" + issue["id"],
                  "ticket-defect": "/tickets/" + d2["id"]})
    # stock from an ERP, and an order beyond it with a long Chinese ship-to: the warning, the address, the stock column
    p = api(server, "POST", "/api/v1/products", {"sku": "LJ-GIFT", "name": "西湖龙井 250g 礼盒装", "tax_rate": 13, "prices": []})
    api(server, "PUT", "/api/v1/stock", {"items": [{"sku": "LJ-GIFT", "warehouse": "上海仓", "on_hand": 3, "reserved": 1, "as_of": "2026-12-06T08:00:00Z"}]})
    o2 = api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"product_id": p["id"], "quantity": 5, "unit_price": 58800}],
                                                "ship_to": {"name": "欧阳娜娜", "phone": "17799990001", "province": "广东省", "city": "深圳市",
                                                            "district": "南山区", "address": "科技园南区深南大道 10000 号腾讯滨海大厦 35 层 3501 室",
                                                            "postcode": "518057"}})
    assert o2["warnings"][0]["available"] == 2
    pages.update({"order-oversold": "/orders/" + o2["id"]})
    for size in SIZES:
        for locale in ("zh-CN", "en-US"):
            ctx, page = page_for(browser, size=size, locale=locale)
            page.goto(base(server) + "/sign-in")
            assert page.evaluate(A11Y_JS) == [], "sign-in"
            sign_in(page, server)
            for name, path in pages.items():
                page.goto(base(server) + path)
                problems = page.evaluate(A11Y_JS)
                assert problems == [], f"{name} {size} {locale}: {problems[:5]}"
                if locale == "zh-CN":
                    shot(page, f"a11y-{name}-{size}")
            ctx.close()


def test_the_keyboard_reaches_content_and_search_results(server, browser):
    api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "键盘用户 张无忌"})
    ctx, page = page_for(browser)
    sign_in(page, server)
    # the first Tab lands on "skip to content", which moves focus into the page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # type in search, arrow down to the result, Enter opens it; the count is announced
    page.focus("input[data-suggest]")
    page.keyboard.type("张无忌")
    expect(page.locator(".suggest a", has_text="张无忌")).to_be_visible()
    expect(page.locator("[data-suggest-status]")).to_have_text("找到 1 位客户")
    assert page.get_attribute("input[data-suggest]", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert "张无忌" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("键盘用户 张无忌")
    # focus is visible: the focused control gets an outline
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    ctx.close()


def test_a_lead_from_the_public_form_is_followed_up_and_converted(server, browser):
    # the admin publishes a web form
    lead_source = api(server, "POST", "/api/v1/lead-sources", {"kind": "form", "name": "官网咨询", "source_label": "官网"})
    # a visitor fills it in on a phone
    ctx, page = page_for(browser, size="phone")
    page.goto(base(server) + "/f/" + lead_source["public_key"] + "?utm_campaign=双十二")
    assert page.evaluate(A11Y_JS) == []
    shot(page, "lead-public-form-phone")
    page.fill("input[name=name]", "欧阳锋")
    page.fill("input[name=phone]", "135 0000 8888")
    page.fill("input[name=company]", "白驼山庄")
    page.fill("textarea[name=message]", "想了解企业版报价 🙏")
    page.click("form button.primary")
    expect(page.locator(".flash.ok")).to_contain_text("已收到")
    ctx.close()
    # the salesperson finds it among the leads, calls, and converts it
    ctx, page = page_for(browser)
    sign_in(page, server)
    page.goto(base(server) + "/leads")
    page.click("table.list a:has-text('欧阳锋')")
    expect(page.locator(".facts").first).to_contain_text("双十二")
    expect(page.locator(".facts").first).to_contain_text("想了解企业版报价")
    page.select_option("form.activity select[name=kind]", "call")
    page.fill("form.activity input[name=subject]", "电话沟通需求")
    page.click("form.activity button")
    expect(page.locator(".facts").first).to_contain_text("已联系")
    assert page.evaluate(A11Y_JS) == []
    shot(page, "lead-desktop")
    page.click("form[action$='/convert'] button")
    expect(page.locator("h1")).to_have_text("欧阳锋")
    expect(page.locator(".timeline")).to_contain_text("电话沟通需求")
    expect(page.locator(".timeline")).to_contain_text("由线索转化")
    expect(page.locator(".meta")).to_contain_text("白驼山庄")
    shot(page, "lead-converted-customer-desktop")
    ctx.close()


def test_deals_move_on_the_kanban_by_dragging_and_by_keyboard(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "organization", "name": "腾讯科技"})
    ctx, page = page_for(browser)
    sign_in(page, server)
    # open a deal from the customer's page
    page.goto(base(server) + "/customers/" + c["id"])
    page.click("a[href^='/deals/new']")
    page.fill("input[name=name]", "企业微信集成")
    page.fill("input[name=amount]", "88,000")
    page.click("form button.primary")
    expect(page.locator("h1")).to_have_text("企业微信集成")
    expect(page.locator(".facts").first).to_contain_text("¥88,000.00")
    # on the board, drag it to the third column
    page.goto(base(server) + "/deals")
    card = page.locator(".deal-card", has_text="企业微信集成")
    expect(card).to_be_visible()
    columns = page.locator(".column")
    card.drag_to(columns.nth(2))
    expect(columns.nth(2).locator(".deal-card", has_text="企业微信集成")).to_be_visible()
    expect(columns.nth(2).locator(".sum")).to_contain_text("¥88,000.00")
    assert page.evaluate(A11Y_JS) == []
    shot(page, "deals-board-desktop")
    # the keyboard way: focus the card's stage picker, choose the fourth stage, press Move
    picker = columns.nth(2).locator(".deal-card select[name=stage_id]").first
    picker.focus()
    picker.select_option(label="商务谈判")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(columns.nth(3).locator(".deal-card", has_text="企业微信集成")).to_be_visible()
    ctx.close()
    ctx, page = page_for(browser, size="phone")
    sign_in(page, server)
    page.goto(base(server) + "/deals")
    shot(page, "deals-board-phone")
    ctx.close()


def test_a_quote_becomes_an_order_that_is_paid_shipped_and_confirmed(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "organization", "name": "杭州茶庄"})
    lists = api(server, "GET", "/api/v1/price-lists")["items"]
    api(server, "POST", "/api/v1/products", {"sku": "LJ-250", "name": "西湖龙井 250g", "unit": "罐", "tax_rate": 9,
                                             "prices": [{"price_list_id": lists[0]["id"], "unit_price": 58800}]})
    ctx, page = page_for(browser)
    sign_in(page, server)
    # write the quote from the customer's page: a catalogue line and a free line
    page.goto(base(server) + "/customers/" + c["id"])
    page.click("a[href^='/quotes/new']")
    page.fill("input[name=title]", "春茶报价")
    page.select_option("select[name='lines[0].product_id']", label="LJ-250 · 西湖龙井 250g")
    page.fill("input[name='lines[0].quantity']", "10")
    page.fill("input[name='lines[0].discount']", "5")
    page.fill("input[name='lines[1].name']", "运费")
    page.fill("input[name='lines[1].quantity']", "1")
    page.fill("input[name='lines[1].unit_price']", "20")
    shot(page, "quote-form-desktop")
    page.click("form.doc-form button.primary")
    expect(page.locator("h1")).to_contain_text("QT-")
    expect(page.locator(".doc-lines tfoot")).to_contain_text("¥6,108.74")
    assert page.evaluate(A11Y_JS) == []
    page.click("button:has-text('发给客户')")
    # the printable page
    page.click("a:has-text('打印/PDF')")
    expect(page.locator(".print-doc")).to_contain_text("报价单")
    shot(page, "quote-print")
    page.go_back()
    page.click("button:has-text('客户接受，生成订单')")
    expect(page.locator("h1")).to_contain_text("SO-")
    # pay, ship, deliver, confirm: each form only while its step is allowed
    expect(page.locator("form[action$='/ship']")).to_have_count(0)
    page.click("form[action$='/pay'] button")
    expect(page.locator("h1 small")).to_have_text("已付款")
    page.fill("form[action$='/ship'] input[name=carrier]", "顺丰速运")
    page.fill("form[action$='/ship'] input[name=tracking_number]", "SF1001")
    page.click("form[action$='/ship'] button")
    expect(page.locator("h1 small")).to_have_text("已发货")
    page.click("form[action$='/deliver'] button")
    page.click("form[action$='/confirm'] button")
    expect(page.locator("h1 small")).to_have_text("已确认收货")
    assert page.evaluate(A11Y_JS) == []
    shot(page, "order-confirmed-desktop")
    ctx.close()
    ctx, page = page_for(browser, size="phone")
    sign_in(page, server)
    page.goto(base(server) + "/orders")
    expect(page.locator("table.list")).to_contain_text("杭州茶庄")
    shot(page, "orders-phone")
    ctx.close()


def test_service_desk_tools_on_a_phone(server, browser):
    # an agent 王芳 beside the owner, a canned reply with placeholders, two tickets of one customer, one of them hers
    server.cli("user", "create", "--email", "wangfang@example.com", "--password", "wang-Passw0rd", "--role", "service_agent", "--name", "王芳")
    wang = next(u for u in api(server, "GET", "/api/v1/users")["items"] if u["email"] == "wangfang@example.com")
    wang_token = server.cli("token", "create", "--email", "wangfang@example.com", "--name", "e2e").stdout.decode().strip().splitlines()[-1]
    api(server, "POST", "/api/v1/service/canned-replies", {"title": "破损致歉", "bodies": {
        "zh-Hans": "{{customer.name}}您好，工单 {{ticket.number}} 由{{agent.name}}跟进。", "en": "Dear {{customer.name}}"}})
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "钱多多 <i>VIP</i>"})
    t1 = api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "手机壳开裂", "body": "用了一周就裂了。",
                                                  "type": "complaint", "assignee_id": wang["id"]})
    t2 = api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "物流太慢", "body": "五天还没到。", "type": "complaint"})

    # the owner ticks both in the queue on a phone and makes them urgent
    ctx, page = page_for(browser, size="phone")
    sign_in(page, server)
    page.goto(base(server) + "/tickets")
    for t in (t1, t2):
        page.check(f"input[name=ids][value='{t['id']}']")
    page.select_option("select[name=priority]", "urgent")
    page.click("button[name=type][value=priority]")
    expect(page.locator(".flash")).to_contain_text("2 张已更新，0 张跳过")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert {api(server, "GET", f"/api/v1/tickets/{t['id']}")["priority"] for t in (t1, t2)} == {"urgent"}
    shot(page, "ticket-bulk-phone")

    # then inserts the canned reply on the first ticket: the customer's name as text, not markup
    page.goto(base(server) + "/tickets/" + t1["id"])
    page.select_option("select[name=canned]", label="破损致歉")
    page.click(".canned-pick button")
    expect(page.locator("textarea[name=body]")).to_have_value(f"钱多多 <i>VIP</i>您好，工单 #{t1['number']} 由owner跟进。")
    # and writes a note for 王芳 instead
    page.check("input[name=kind][value=note]")
    page.fill("textarea[name=body]", "@王芳 请今天联系客户")
    page.click("form.reply button.primary")
    expect(page.locator("mark.mention")).to_have_text("@王芳")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "ticket-tools-phone")

    # 王芳 is told, and opening the ticket sees the owner there
    notes = api(server, "GET", "/api/v1/notifications", token=wang_token)["items"]
    assert [n["kind"] for n in notes] == ["mention"] and notes[0]["link"] == "/tickets/" + t1["id"]
    # and mailed, outgoing mail being configured
    for _ in range(100):
        if any("wangfang@example.com" in m["to"] for m in server.mail.messages):
            break
        time.sleep(0.1)
    assert any("wangfang@example.com" in m["to"] for m in server.mail.messages)
    ctx2, other = page_for(browser, size="phone")
    sign_in(other, server, email="wangfang@example.com", password="wang-Passw0rd")
    other.goto(base(server) + "/tickets/" + t1["id"])
    expect(other.locator(".presence")).to_contain_text("也在查看这张工单")
    viewers = api(server, "GET", f"/api/v1/tickets/{t1['id']}/viewers", token=wang_token)["items"]
    assert [v["name"] for v in viewers] == ["owner"]
    ctx2.close()


def test_a_reply_carries_a_photo_and_the_download_is_saved_not_shown(server, browser, tmp_path):
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "赵敏"})
    t = api(server, "POST", "/api/v1/tickets", {"customer_id": c["id"], "subject": "屏幕裂了", "body": "收到时屏幕有裂纹"})
    photo = tmp_path / "裂纹 📷.png"
    photo.write_bytes(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]))
    fake = tmp_path / "发票.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    ctx, page = page_for(browser, "phone")
    sign_in(page, server)
    page.goto(base(server) + "/tickets/" + t["id"])
    # a web page named .pdf is refused beside the file field, in Chinese, what was typed kept
    page.fill("form.reply textarea[name=body]", "发票见附件")
    page.set_input_files("form.reply input[name=attachments]", str(fake))
    page.click("form.reply button.primary")
    expect(page.locator("form.reply .files-field .error").first).to_contain_text("发票.pdf: 内容与 .pdf 文件不符")
    expect(page.locator("form.reply textarea[name=body]")).to_have_value("发票见附件")
    # the photo goes through, listed under the reply with its size, on a phone without sideways scrolling
    page.fill("form.reply textarea[name=body]", "照片见附件")
    page.set_input_files("form.reply input[name=attachments]", str(photo))
    page.click("form.reply button.primary")
    link = page.locator(".msg-reply .files a", has_text="裂纹 📷.png")
    expect(link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "ticket-attachments-phone")
    with page.expect_download() as d:
        link.click()
    assert d.value.suggested_filename == "裂纹 📷.png"
    assert open(d.value.path(), "rb").read()[:4] == b"\x89PNG"
    ctx.close()
