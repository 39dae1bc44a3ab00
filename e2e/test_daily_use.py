"""The first hour, in a real browser: an English deal board says its stage names in English, a rep
claims a customer from the public pool (and a second claim is refused in words), an administrator
hands a leaving rep's work over through the page, and an invitation mailed to the suite's SMTP
server carries a link that sets the password. Screenshots at 1280 and 390 px go to e2e/screenshots/."""
import base64
import email
import email.header
import re
import time
import urllib.parse

from test_browser import api, base, browser, page_for, shot, sign_in  # noqa: F401 (browser: the fixture)
from playwright.sync_api import expect


def users(server):
    return {m["email"]: m["id"] for m in api(server, "GET", "/api/v1/users")["items"]}


def no_overflow(page):
    """Nothing wider than the window (the page does not scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


LOCALES = {"zh-CN": "zh-CN", "zh-TW": "zh-TW", "en": "en-US"}
STAGES = {"zh-CN": ("初步接触", "商务谈判", "赢单"), "zh-TW": ("初步接觸", "商務談判", "贏單"), "en": ("First contact", "Negotiation", "Won")}


def test_the_english_board_shows_english_stage_names(server, browser):
    # and a Traditional Chinese reader sees Traditional names, a Simplified one the stored names
    for lang, locale in LOCALES.items():
        for size in ("desktop", "phone"):
            ctx, page = page_for(browser, size, locale=locale)
            sign_in(page, server)
            page.goto(base(server) + "/deals")
            board = page.locator("main")
            for name in STAGES[lang]:
                expect(board).to_contain_text(name)
            for other in {"zh-CN", "zh-TW", "en"} - {lang}:
                if STAGES[other][0] != STAGES[lang][0]:
                    assert STAGES[other][0] not in page.locator("main").inner_text(), (lang, other)
            expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_attribute("href", "/deals")
            shot(page, f"deals-{lang}-{size}")
            ctx.close()
    # the API keeps the stored name and says which seeded name it is
    p = api(server, "GET", "/api/v1/pipelines")["items"][0]
    assert p["stages"][0]["name"] == "初步接触" and p["stages"][0]["name_key"] == "stage_contact"


CLAIM = {"zh-CN": "领取", "zh-TW": "領取", "en": "Claim"}
TAKEN = {"zh-CN": "这位客户已经有负责人了", "zh-TW": "這位客戶已經有負責人了", "en": "this customer already has an owner"}
RELEASE = {"zh-CN": "退回公海", "zh-TW": "退回公海", "en": "Release to pool"}


def test_a_rep_claims_from_the_pool_and_a_second_claim_is_refused(server, browser):
    for who in ("pool-a", "pool-b"):
        server.cli("user", "create", "--email", f"{who}@example.com", "--password", f"{who}-Passw0rd", "--role", "sales_rep")
    for lang, locale in LOCALES.items():
        name = f"公海里的周先生 {lang}"
        c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": name})
        server.request("POST", f"/api/v1/customers/{c['id']}/release")
        # both reps open the pool
        ctx_a, a = page_for(browser, "phone", locale=locale)
        sign_in(a, server, "pool-a@example.com", "pool-a-Passw0rd")
        ctx_b, b = page_for(browser, "desktop", locale=locale)
        sign_in(b, server, "pool-b@example.com", "pool-b-Passw0rd")
        for p in (a, b):
            p.click("nav.main-nav a[href='/pool']")
            expect(p.locator("table.pool")).to_contain_text(name)
        expect(a.locator("nav.main-nav a[aria-current=page]")).to_have_attribute("href", "/pool")
        assert no_overflow(a)
        shot(a, f"pool-{lang}-phone")
        shot(b, f"pool-{lang}-desktop")
        # the first claims it and lands on the customer, now theirs
        a.locator("tr", has_text=name).get_by_role("button", name=f"{CLAIM[lang]} {name}").click()
        expect(a.locator("h1")).to_have_text(name)
        expect(a.locator(".facts").first).to_contain_text("pool-a")
        # the second, on the page they had open, is told it was taken, in their language
        b.locator("tr", has_text=name).get_by_role("button", name=f"{CLAIM[lang]} {name}").click()
        expect(b.locator(".flash.bad")).to_contain_text(TAKEN[lang])
        assert api(server, "GET", f"/api/v1/customers/{c['id']}")["owner_id"] == users(server)["pool-a@example.com"]
        # the owner gives it back from the customer page
        a.get_by_role("button", name=RELEASE[lang]).click()
        expect(a.get_by_role("button", name=CLAIM[lang])).to_be_visible()
        shot(a, f"customer-released-{lang}-phone")
        ctx_a.close()
        ctx_b.close()


DONE = {"zh-CN": "交接完成", "zh-TW": "交接完成", "en": "Handed over"}
CUSTOMERS = {"zh-CN": "客户", "zh-TW": "客戶", "en": "Customers"}
OWNER_CHANGED = {"zh-CN": "负责人变更", "zh-TW": "負責人變更", "en": "Owner changed"}


def test_an_administrator_hands_a_leavers_work_over_through_the_page(server, browser):
    for lang, locale in LOCALES.items():
        leaver = f"leaver-{lang.lower()}@example.com"
        server.cli("user", "create", "--email", leaver, "--password", "leaver-Passw0rd", "--role", "sales_rep")
        ids = users(server)
        c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": f"离职交接的客户 {lang}", "owner_id": ids[leaver]})
        ctx, page = page_for(browser, locale=locale)
        sign_in(page, server)
        page.goto(base(server) + "/settings/users")
        page.locator(f"a[href='/settings/handover/{ids[leaver]}']").click()
        expect(page.locator("h1")).to_contain_text("leaver")
        expect(page.locator("table.counts")).to_contain_text(CUSTOMERS[lang])
        shot(page, f"handover-{lang}-desktop")
        page.select_option("select[name=to_user_id]", ids["owner@example.com"])
        page.click("form.stack button.primary")
        expect(page.locator(".flash.ok")).to_contain_text(DONE[lang])
        # the customer is the owner's now, and its timeline says so
        page.goto(base(server) + "/customers/" + c["id"])
        expect(page.locator(".facts").first).to_contain_text("owner")
        expect(page.locator(".timeline")).to_contain_text(OWNER_CHANGED[lang])
        ctx.close()
        assert api(server, "GET", f"/api/v1/customers/{c['id']}")["owner_id"] == ids["owner@example.com"]
        ctx, page = page_for(browser, "phone", locale=locale)
        sign_in(page, server)
        page.goto(base(server) + f"/settings/handover/{ids['owner@example.com']}")
        assert no_overflow(page)
        shot(page, f"handover-{lang}-phone")
        ctx.close()


SUBJECT = {"zh-CN": "邀请您加入", "zh-TW": "邀請您加入", "en": "You are invited to"}
SENT = {"zh-CN": "邀请已发送至", "zh-TW": "邀請已寄至", "en": "Invitation sent to"}
SET_TITLE = {"zh-CN": "设置密码", "zh-TW": "設定密碼", "en": "Set your password"}
PASSWORD_SET = {"zh-CN": "密码已设置", "zh-TW": "密碼已設定", "en": "Your password is set"}


def test_an_invitation_mail_arrives_and_its_link_sets_the_password(server, browser):
    for lang, locale in LOCALES.items():
        newcomer = f"newcomer-{lang.lower()}@example.com"
        before = len(server.mail.messages)
        ctx, page = page_for(browser, locale=locale)
        sign_in(page, server)
        page.goto(base(server) + "/settings/users")
        page.click("a[href='/settings/invite']")
        assert page.get_attribute("input[name=email]", "type") == "email"
        page.fill("input[name=email]", newcomer)
        page.fill("input[name=name]", "小新")
        page.select_option("select[name=role]", "sales_rep")
        shot(page, f"invite-{lang}-desktop")
        page.click("form.stack button.primary")
        expect(page.locator(".flash.ok")).to_contain_text(SENT[lang])
        expect(page.locator(".flash.ok")).to_contain_text(newcomer)
        ctx.close()
        # the mail reaches the suite's SMTP server, in the inviter's language
        deadline = time.time() + 10
        while len(server.mail.messages) == before and time.time() < deadline:
            time.sleep(0.2)
        m = server.mail.messages[-1]
        assert m["to"] == [newcomer]
        msg = email.message_from_bytes(m["data"])
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        assert SUBJECT[lang] in subject, subject
        text = base64.b64decode(msg.get_payload()).decode()
        link = re.search(r"http://\S+/password-reset/confirm\?token=\S+", text).group(0)
        target = urllib.parse.urlparse(link).path + "?" + urllib.parse.urlparse(link).query
        # the invitee opens the link on a phone and chooses a password
        ctx, page = page_for(browser, "phone", locale=locale)
        page.goto(base(server) + target)
        expect(page.locator("h1")).to_have_text(SET_TITLE[lang])
        assert no_overflow(page)
        shot(page, f"set-password-{lang}-phone")
        page.fill("input[name=password]", "newcomer-Passw0rd 🌱")
        page.click("form button.primary")
        expect(page.locator(".flash.ok")).to_contain_text(PASSWORD_SET[lang])
        sign_in(page, server, newcomer, "newcomer-Passw0rd 🌱")
        expect(page.locator("nav.main-nav")).to_be_visible()
        ctx.close()
        # the link works once
        status, _, body = server.request("POST", "/password-reset/confirm", raw=urllib.parse.urlencode(
            {"token": urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["token"][0], "password": "another-Passw0rd"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"}, auth=False)
        assert status == 422 and "已使用或已过期" in body.decode()


def test_a_password_reset_request_mails_a_link(server):
    before = len(server.mail.messages)
    status, _, _ = server.json("POST", "/api/v1/auth/password-reset", {"email": "owner@example.com"}, headers={"Accept-Language": "zh-TW"}, auth=False)
    assert status == 202
    status, _, _ = server.json("POST", "/api/v1/auth/password-reset", {"email": "nobody@example.com"}, auth=False)
    assert status == 202
    deadline = time.time() + 10
    while len(server.mail.messages) == before and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    new = server.mail.messages[before:]
    assert [m["to"] for m in new] == [["owner@example.com"]]
    text = base64.b64decode(email.message_from_bytes(new[0]["data"]).get_payload()).decode()
    assert "重設密碼" in text and "/password-reset/confirm?token=" in text


def test_new_buttons_on_the_lists_start_by_choosing_the_customer(server, browser):
    c = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "按钮测试的客户"})
    for lang, size in (("zh-CN", "desktop"), ("zh-CN", "phone"), ("zh-TW", "phone"), ("en", "desktop")):
        ctx, page = page_for(browser, size, locale=LOCALES[lang])
        sign_in(page, server)
        page.click("nav.main-nav a[href='/quotes']")
        expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_attribute("href", "/quotes")
        page.click("a.button.primary[href='/quotes/new']")
        page.fill("input[name=q]", "按钮测试")
        page.click("form.filters button")
        page.click(f"a[href='/quotes/new?customer_id={c['id']}']")
        expect(page.locator("main")).to_contain_text("按钮测试的客户")
        for path in ("/deals", "/orders"):
            page.goto(base(server) + path)
            expect(page.locator(f"a.button.primary[href='{path}/new']")).to_be_visible()
            assert no_overflow(page) or path == "/deals"   # the board scrolls its columns sideways by design
            shot(page, f"{path.strip('/')}-list-{lang}-{size}")
        page.goto(base(server) + "/deals/new")
        shot(page, f"pick-customer-{lang}-{size}")
        ctx.close()
