"""Daily use, second part, in a real browser in zh-CN, zh-TW and en: an import refuses a picture at
once in the reader's language and lets them pick another file (an Excel workbook, read directly).
Screenshots go to e2e/screenshots/."""
import os
import re

from conftest import layout_only
from test_browser import api, base, browser, page_for, shot, sign_in  # noqa: F401 (browser: the fixture)
from playwright.sync_api import expect

import xlsx

LOCALES = {"zh-CN": "zh-CN", "zh-TW": "zh-TW", "en": "en-US"}
REFUSED = {"zh-CN": "这是一张图片，不是表格", "zh-TW": "這是一張圖片，不是表格", "en": "this file is a picture, not a table"}
SAVE_AS = {"zh-CN": "文件 › 另存为 › CSV UTF-8", "zh-TW": "檔案 › 另存新檔 › CSV UTF-8", "en": "File › Save As › CSV UTF-8"}


def test_a_picture_is_refused_at_once_and_a_workbook_is_read(server, browser, tmp_path):
    png = tmp_path / "客户名单.png"
    png.write_bytes(xlsx.PNG)
    for n, (lang, locale) in enumerate(LOCALES.items()):
        book = tmp_path / f"customers-{lang}.xlsx"
        book.write_bytes(xlsx.workbook([["姓名", "手机", "邮箱", "生日"],
                                        [f"表格客户{lang}", 13800000010 + n, f"sheet-{lang}@example.com", ("date", 45678)]]))
        ctx, page = page_for(browser, "phone", locale=locale)
        sign_in(page, server)
        page.goto(base(server) + "/imports/new")
        page.set_input_files("input[name=file]", str(png))
        page.click("form button.primary")
        # refused on the upload itself, in the reader's language, with what to do, by the file field
        expect(page.locator("#e-file")).to_contain_text(REFUSED[lang])
        expect(page.locator("#e-file")).to_contain_text(SAVE_AS[lang])
        assert page.url.endswith("/imports/new")
        shot(page, f"import-refused-{lang}-phone")
        # the same form: pick another file (a workbook) and go on
        page.set_input_files("input[name=file]", str(book))
        page.click("form button.primary")
        expect(page.locator("select[name=col_0]")).to_have_value("name")
        expect(page.locator("select[name=col_1]")).to_have_value("phone")
        expect(page.locator("main")).to_contain_text(f"表格客户{lang}")
        expect(page.locator("main")).to_contain_text("2025-01-21")
        page.click("button[value=import]")
        expect(page.locator("main")).to_contain_text({"zh-CN": "新建 1", "zh-TW": "新增 1", "en": "created 1"}[lang], timeout=20000)
        ctx.close()
    names = {c["name"] for c in api(server, "GET", "/api/v1/customers?limit=200")["items"]}
    assert {"表格客户zh-CN", "表格客户zh-TW", "表格客户en"} <= names


COUNT = {"zh-CN": "共 {n} 位客户", "zh-TW": "共 {n} 位客戶", "en": "{n} customers"}
NEXT = {"zh-CN": "下一页", "zh-TW": "下一頁", "en": "Next page"}
PREV = {"zh-CN": "上一页", "zh-TW": "上一頁", "en": "Previous page"}
NAME = {"zh-CN": "名称", "zh-TW": "名稱", "en": "Name"}


def test_lists_count_sort_and_page_both_ways(server, browser):
    for i in range(60):
        api(server, "POST", "/api/v1/customers", {"kind": "person", "name": f"翻页客户{i:02d}", "phones": [f"1390000{i:04d}"]})
    total = len(api(server, "GET", "/api/v1/customers?limit=200")["items"])
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "phone" if lang == "zh-TW" else "desktop", locale=locale)
        sign_in(page, server)
        expect(page.locator("p.count")).to_have_text(COUNT[lang].format(n=total))
        # sort by name (on a phone from the line of sorts above the list, else by the column's
        # header): the header says so, and the first rows are in order
        page.locator("details.tools summary").first.click() if lang == "zh-TW" else None
        sorts = page.locator(".sort-choices") if lang == "zh-TW" else page.locator("table.customers thead")
        sorts.get_by_role("link", name=NAME[lang]).click()
        expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
        first_names = page.locator("table.customers tbody td:nth-child(2) > a").all_inner_texts()
        assert first_names == sorted(first_names), first_names
        # next, then previous: the same page again
        page.get_by_role("link", name=NEXT[lang]).click()
        later = page.locator("table.customers tbody td:nth-child(2) > a").all_inner_texts()
        assert later and later[0] > first_names[-1]
        page.get_by_role("link", name=PREV[lang]).click()
        assert page.locator("table.customers tbody td:nth-child(2) > a").all_inner_texts() == first_names
        shot(page, f"list-sorted-{lang}")
        ctx.close()


LIST_COUNT = {"leads": {"zh-CN": "共 {n} 条线索", "zh-TW": "共 {n} 筆潛在客戶", "en": "{n} leads"},
              "orders": {"zh-CN": "共 {n} 个订单", "zh-TW": "共 {n} 筆訂單", "en": "{n} orders"},
              "deals": {"zh-CN": "共 {n} 个商机", "zh-TW": "共 {n} 個商機", "en": "{n} deals"}}
SORTED_BY = {"leads": {"zh-CN": "获取于", "zh-TW": "取得於", "en": "Captured"},
             "orders": {"zh-CN": "下单时间", "zh-TW": "下單時間", "en": "Placed"},
             "deals": {"zh-CN": "创建于", "zh-TW": "建立於", "en": "Created"}}
CLOSE_DAY = {"zh-CN": "2026年12月31日", "zh-TW": "2026年12月31日", "en": "Dec 31, 2026"}
LEAD_PHONE = {"zh-CN": "137 0000 0040", "zh-TW": "+86 137 0000 0040", "en": "+86 137 0000 0040"}
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}-(0[1-9]|1[0-2])\b(?!-)|\b\d{4}-W\d{2}\b")


def all_items(server, path):
    items, cursor = [], None
    while True:
        page = api(server, "GET", path + ("&cursor=" + cursor if cursor else ""))
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def test_lead_deal_and_order_lists_count_sort_and_page_both_ways(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "列表里的客户"})
    pipeline = api(server, "GET", "/api/v1/pipelines")["items"][0]
    for i in range(55):
        api(server, "POST", "/api/v1/leads", {"name": f"翻页线索{i:02d}", "phone": f"1370000{i:04d}", "company": "翻页公司"})
        api(server, "POST", "/api/v1/deals", {"name": f"翻页商机{i:02d}", "customer_id": c["id"], "pipeline_id": pipeline["id"],
                                              "stage_id": pipeline["stages"][1]["id"], "amount": {"minor": 100000 + i, "currency": "CNY"},
                                              "expected_close": "2026-12-31"})
        api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "翻页茶", "quantity": 1, "unit_price": 1000 + i}]})
    # the API lists each newest first: read backwards, the lists' oldest-first order
    oldest = {"leads": [x["name"] for x in all_items(server, "/api/v1/leads?limit=200")][::-1],
              "orders": [x["number"] for x in all_items(server, "/api/v1/orders?limit=200")][::-1],
              "deals": [x["name"] for x in all_items(server, "/api/v1/deals?limit=200") if x["pipeline_id"] == pipeline["id"]][::-1]}
    totals = {k: len(v) for k, v in oldest.items()}
    stage = pipeline["stages"][1]["id"]
    in_stage = len([d for d in all_items(server, "/api/v1/deals?limit=200") if d.get("stage_id") == stage])
    paths = {"leads": "/leads", "orders": "/orders", "deals": f"/deals?view=list&pipeline_id={pipeline['id']}"}
    first_cell = {"leads": "table.leads tbody tr td:nth-child(1) a", "orders": "table.stack tbody tr td:nth-child(1) a",
                  "deals": "table.deals tbody tr td:nth-child(1) a"}
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "desktop", locale=locale)
        sign_in(page, server)
        for kind, path in paths.items():
            page.goto(base(server) + path)
            expect(page.locator("p.count")).to_have_text(LIST_COUNT[kind][lang].format(n=f"{totals[kind]:,}"))
            # newest first to begin with; the header sorts oldest first, and says so
            expect(page.locator("th[aria-sort=descending]")).to_have_text(re.compile(SORTED_BY[kind][lang]))
            page.locator("th[aria-sort=descending] a").click()
            expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
            first = page.locator(first_cell[kind]).all_inner_texts()
            assert first == oldest[kind][:50], (kind, lang, first[:5], oldest[kind][:5])
            # next, then previous: the same page again
            page.get_by_role("link", name=NEXT[lang]).click()
            later = page.locator(first_cell[kind]).all_inner_texts()
            assert later == oldest[kind][50:100], (kind, lang)
            expect(page.locator("p.count")).to_have_text(LIST_COUNT[kind][lang].format(n=f"{totals[kind]:,}"))
            page.get_by_role("link", name=PREV[lang]).click()
            assert page.locator(first_cell[kind]).all_inner_texts() == first, (kind, lang)
            expect(page.get_by_role("link", name=PREV[lang])).to_have_count(0)
            # days, months and weeks in the reader's form, never ISO
            text = page.locator("main").inner_text()
            assert not ISO_DAY.search(text), (kind, lang, ISO_DAY.search(text).group(0))
            shot(page, f"list-{kind}-{lang}")
        # the lead list formats the phone for reading; the deal list writes the close day in words
        page.goto(base(server) + "/leads")
        expect(page.locator("table.leads")).to_contain_text(LEAD_PHONE[lang])
        page.goto(base(server) + paths["deals"])
        expect(page.locator("table.deals")).to_contain_text(CLOSE_DAY[lang])
        # the board's "and more" opens the stage's deals as a list, counted
        page.goto(base(server) + "/deals")
        page.locator(f"section.column[data-stage='{stage}'] p.hint a").click()
        expect(page.locator("p.count")).to_have_text(LIST_COUNT["deals"][lang].format(n=f"{in_stage:,}"))
        ctx.close()
    # a phone reads the lists as cards, with nothing off the screen
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "phone", locale=locale)
        sign_in(page, server)
        for kind, path in paths.items():
            page.goto(base(server) + path)
            expect(page.locator("p.count")).to_be_visible()
            assert page.evaluate(NO_SIDEWAYS_JS), (kind, lang)
            assert page.evaluate(OVERLAP_JS) == [], (kind, lang)
            shot(page, f"phone-list-{kind}-{lang}")
        # a malformed cursor, sort or stage is answered, not a crash, and nothing is echoed unescaped
        for path in ("/leads?cursor=%27%3B--", "/orders?before=%E4%B8%AD", "/deals?view=list&sort=%3Cscript%3Ex%3C/script%3E&stage_id=nope"):
            resp = page.goto(base(server) + path)
            assert resp.status == 200 or 400 <= resp.status < 500, (path, resp.status)
            assert "<script>x" not in page.content()
        ctx.close()


def test_search_finds_leads_and_order_numbers(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "搜订单的客户"})
    o = api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "碧螺春", "quantity": 2, "unit_price": 12800}]})
    api(server, "POST", "/api/v1/leads", {"name": "电话找到的线索", "phone": "13722223333", "company": "远山茶业"})
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "phone", locale=locale)
        sign_in(page, server)
        for q, found in ((o["number"][-5:], o["number"]), ("137 2222 3333", "电话找到的线索"), ("远山", "电话找到的线索")):
            page.fill("header input[name=q]", q)
            page.press("header input[name=q]", "Enter")
            expect(page.locator(".also-found")).to_contain_text(found)
        page.locator(".also-found a", has_text="电话找到的线索").click()
        expect(page.locator("h1")).to_contain_text("电话找到的线索")
        ctx.close()


OVERLAP_JS = r"""
() => {
  const sel = 'a,button,input,select,textarea,h1,h2,h3,summary,.tag,.label,th,td,dt,dd,p,small,strong,progress,img,svg,time';
  const shown = e => {
    if (e.closest('[hidden],.sr,.suggest,svg *')) return false;
    // what a closed <details> holds is not drawn (its boxes are not where they would be)
    if (e.checkVisibility && !e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})) return false;
    const s = getComputedStyle(e);
    return s.visibility !== 'hidden' && s.display !== 'none';
  };
  // what a scrolling box clips is not drawn over anything
  const clip = e => { let r = {left: -1e9, top: -1e9, right: 1e9, bottom: 1e9};
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') { const b = p.getBoundingClientRect();
        r = {left: Math.max(r.left, b.left), top: Math.max(r.top, b.top), right: Math.min(r.right, b.right), bottom: Math.min(r.bottom, b.bottom)}; }
    } return r; };
  const boxes = [];
  for (const e of document.querySelectorAll(sel)) {
    if (!shown(e)) continue;
    const c = clip(e);
    for (const r of e.getClientRects()) {
      const b = {left: Math.max(r.left, c.left), top: Math.max(r.top, c.top), right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom)};
      if (b.right - b.left > 1 && b.bottom - b.top > 1) boxes.push([e, b]);
    }
  }
  const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"';
  const bad = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, ra] = boxes[i], [b, rb] = boxes[j];
    if (a === b || a.contains(b) || b.contains(a)) continue;
    if (a.tagName === 'LABEL' || b.tagName === 'LABEL') continue;
    const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left), h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (w > 2 && h > 2) bad.push(name(a) + ' × ' + name(b));
  }
  return bad.slice(0, 10);
}
"""

NO_SIDEWAYS_JS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@layout_only
def test_phone_layouts_have_no_sideways_scroll_or_overlaps(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "手机版的欧阳娜娜 Nana Ouyang-Fitzgerald", "phones": ["13612345678"],
                                                  "emails": ["nana.ouyang.fitzgerald@example.com"], "tags": ["VIP", "华南"], "tier": "A"})
    api(server, "POST", f"/api/v1/customers/{c['id']}/notes", {"body": "喜欢周末联系 😀"})
    o = api(server, "POST", "/api/v1/orders", {"customer_id": c["id"], "lines": [{"name": "茶具套装 🍵", "quantity": 3, "unit_price": 29900, "tax_rate": 13}]})
    for i in range(12):
        api(server, "POST", "/api/v1/customers", {"kind": "person", "name": f"第一屏客户{i}"})
    pages = {"customers": "/customers", "customer": "/customers/" + c["id"], "customer-edit": f"/customers/{c['id']}/edit",
             "orders": "/orders", "order": "/orders/" + o["id"], "quotes": "/quotes", "leads": "/leads", "deals": "/deals", "today": "/today",
             "reports": "/reports", "settings-roles": "/settings/roles", "settings-audit": "/settings/audit", "import": "/imports/new"}
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "phone", locale=locale)
        sign_in(page, server)
        # the header is compact, and the customer list shows several rows on the first screen
        header = page.locator("header.bar").bounding_box()
        assert header["height"] <= 130, header
        rows = page.locator("table.customers tbody tr")
        visible = [b for b in (rows.nth(i).bounding_box() for i in range(min(rows.count(), 12))) if b and b["y"] + b["height"] <= 844]
        assert len(visible) >= 5, (lang, len(visible))
        # filters and bulk actions fold away, and open without script
        expect(page.locator("form.filters")).to_be_hidden()
        page.locator("details.tools summary").first.click()
        expect(page.locator("form.filters")).to_be_visible()
        # and every page the navigation and the settings' tabs lead to
        every = dict(pages)
        for nav, at in (("nav.main-nav a", "/customers"), ("nav.tabs a", "/settings/users")):
            page.goto(base(server) + at)
            for href in page.eval_on_selector_all(nav, "as => as.map(a => a.getAttribute('href'))"):
                every.setdefault(href.strip("/").replace("/", "-") or "home", href)
        for name, path in every.items():
            page.goto(base(server) + path)
            assert page.evaluate(NO_SIDEWAYS_JS), f"{name} {lang}: sideways scroll"
            overlaps = page.evaluate(OVERLAP_JS)
            assert overlaps == [], f"{name} {lang}: {overlaps}"
            shot(page, f"phone-{name}-{lang}")
        # the lists sort from the line above their cards (the cards have no headers to click)
        page.goto(base(server) + "/orders")
        choice = page.locator(".sort-choices a").first
        expect(choice).to_be_visible()
        choice.click()
        assert "sort=placed_at" in page.url, page.url
        expect(page.locator(".sort-choices a[aria-current=true]")).to_contain_text("↑")
        # the order list is cards: status and amounts on the screen
        page.goto(base(server) + "/orders")
        card = page.locator("table.stack tbody tr").first
        for cell in card.locator("td").all():
            if cell.is_visible():
                box = cell.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 391, box
        # phone and email fields bring their keyboards
        page.goto(base(server) + "/customers/new")
        assert page.get_attribute("input[name=phones]", "type") == "tel"
        assert page.get_attribute("input[name=emails]", "type") == "email"
        ctx.close()


def test_settings_in_words_and_a_role_from_the_grid(server, browser):
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "desktop", locale=locale)
        sign_in(page, server)
        page.goto(base(server) + "/settings/roles")
        words = {"zh-CN": ("销售代表", "本团队"), "zh-TW": ("業務代表", "本團隊"), "en": ("Sales rep", "Team")}[lang]
        for w in words:
            expect(page.locator("main")).to_contain_text(w)
        assert "customers.read" not in page.content()
        new = page.locator("section.role-grid").last
        new.locator("input[name=key]").fill(f"grid_{lang.replace('-', '_').lower()}")
        new.locator("input[name=name]").fill({"zh-CN": "区域主管", "zh-TW": "區域主管", "en": "Regional lead"}[lang])
        new.locator("select[name=p_customers_read]").select_option("team")
        new.locator("select[name=p_leads_update]").select_option("own")
        new.get_by_role("button").click()
        saved = page.locator("section.role-grid", has_text={"zh-CN": "区域主管", "zh-TW": "區域主管", "en": "Regional lead"}[lang])
        expect(saved.locator("select[name=p_customers_read]")).to_have_value("team")
        shot(page, f"settings-roles-{lang}")
        # the audit log links to the record and its filter lists what it takes
        page.goto(base(server) + "/settings/audit")
        page.select_option("select[name=object]", "roles")
        page.click("form.filters button")
        expect(page.locator("main table")).to_contain_text(f"grid_{lang.replace('-', '_').lower()}")
        ctx.close()
    roles = {r["key"]: r["permissions"] for r in api(server, "GET", "/api/v1/roles")["items"]}
    assert roles["grid_zh_cn"] == ["customers.read:team", "leads.update:own"]


def test_reports_say_their_period(server, browser):
    for lang, locale in LOCALES.items():
        ctx, page = page_for(browser, "phone", locale=locale)
        sign_in(page, server)
        page.goto(base(server) + "/reports?month=2026-11")
        month = {"zh-CN": "2026年11月", "zh-TW": "2026年11月", "en": "November 2026"}[lang]
        expect(page.locator("h1")).to_contain_text(month)
        for h2 in page.locator("section.card h2").all():
            assert h2.locator("small.period").count() == 1, h2.inner_text()
        assert page.evaluate(NO_SIDEWAYS_JS)
        shot(page, f"reports-period-{lang}")
        ctx.close()
