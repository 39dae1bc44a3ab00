"""The customer portal in a real browser at phone width (390 px), in 简体: a customer signs in with
the code mailed to them (read from the suite's SMTP server), sees their order with its shipment and
tracking number, reads a help article, is offered it while typing a request's subject, submits the
request with a photo, and follows it; in 繁體 and English: a customer signs in, sees their order,
submits a request, reads the desk's answer once it is resolved and rates the service (a rating left
out is refused in the page's language). Every page must fit the window (nothing sticking out
sideways), and screenshots go to e2e/screenshots/."""
import email
import email.policy
import re

import pytest
from playwright.sync_api import expect

from test_browser import api, base, browser, page_for, shot  # noqa: F401  (browser is a fixture)

FITS_JS = r"""
() => {
  const problems = [], w = document.documentElement.clientWidth;
  if (document.scrollingElement.scrollWidth > w + 1) problems.push('page is ' + document.scrollingElement.scrollWidth + ' px wide');
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || el.closest('.skip, option')) continue;
    if (r.right > w + 1 || r.left < -1) problems.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
  }
  for (const m of document.body.innerText.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) || []) problems.push('catalog key shown: ' + m);
  return problems.slice(0, 8);
}
"""

PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])


def fits(page, name, lang="zh-Hans"):
    assert page.evaluate(FITS_JS) == [], name
    shot(page, f"portal-{name}-{lang}-phone")


def mailed_code(server, address, seen):
    """The code in the newest mail to `address` (the mail is sent after the page answers)."""
    import time
    deadline = time.time() + 15
    while time.time() < deadline:
        mails = [m for m in server.mail.messages if address in m["to"]]
        if len(mails) > seen:
            msg = email.message_from_bytes(mails[-1]["data"], policy=email.policy.default)
            text = msg.get_body(preferencelist=("plain",)).get_content()
            return re.search(r"\b(\d{6})\b", text).group(1), text
        time.sleep(0.2)
    raise AssertionError(f"no code mail to {address}")


def test_a_customer_signs_in_by_mailed_code_follows_an_order_and_submits_a_request(server, browser, tmp_path):
    customer = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "林晓 🌸", "emails": ["lin.xiao@example.cn"]})
    order = api(server, "POST", "/api/v1/orders", {"customer_id": customer["id"], "currency": "CNY",
                                                   "lines": [{"name": "碧螺春礼盒（特级，500 克装）", "quantity": 3, "unit_price": 26800}]})
    api(server, "POST", f"/api/v1/orders/{order['id']}/payments", {"amount": 80400, "method": "wechat"})  # paid in full: it may ship
    api(server, "POST", f"/api/v1/orders/{order['id']}/shipments", {"carrier": "顺丰速运", "tracking_number": "SF1234567890123"})
    other = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "别人", "emails": ["someone.else@example.cn"]})
    theirs = api(server, "POST", "/api/v1/orders", {"customer_id": other["id"], "currency": "CNY",
                                                    "lines": [{"name": "别人的茶", "quantity": 1, "unit_price": 100}]})

    article = api(server, "POST", "/api/v1/kb/articles", {"category": "售后", "status": "published", "visibility": "public", "texts": {
        "zh-Hans": {"title": "礼盒缺件怎么办", "body": "请在订单页提交服务请求并附上开箱照片，我们会在 24 小时内补发。"},
        "en": {"title": "Missing items in a gift box", "body": "Send a request with a photo of the opened box."}}})

    ctx, page = page_for(browser, size="phone", locale="zh-CN")
    page.goto(base(server) + "/portal")
    expect(page.locator("h1")).to_have_text("登录")
    fits(page, "sign-in")
    seen = len([m for m in server.mail.messages if "lin.xiao@example.cn" in m["to"]])
    page.fill("input[name=email]", "lin.xiao@example.cn")
    page.click("form button.primary")
    expect(page.locator("h1")).to_have_text("输入验证码")
    fits(page, "code")
    code, text = mailed_code(server, "lin.xiao@example.cn", seen)
    assert "/portal/sign-in/link?token=" in text
    page.fill("input[name=code]", code)
    page.click("form button.primary")
    page.wait_for_url("**/portal/orders")

    # the order, its status, the shipment and tracking number
    expect(page.locator("h1")).to_have_text("我的订单")
    expect(page.locator(".portal-item")).to_have_count(1)
    expect(page.locator(".portal-item")).to_contain_text(order["number"])
    fits(page, "orders")
    page.click(".portal-item")
    expect(page.locator("body")).to_contain_text("SF1234567890123")
    expect(page.locator("body")).to_contain_text("顺丰速运")
    fits(page, "order")
    # another customer's order is not there, whatever the address says
    r = page.goto(base(server) + "/portal/orders/" + theirs["id"])
    assert r.status == 404
    expect(page.locator("body")).not_to_contain_text("别人的茶")

    # a help article, found by a two-character Chinese word
    page.goto(base(server) + "/portal/kb")
    page.fill("input[name=q]", "缺件")
    page.click("form.portal-search button")
    expect(page.locator(".portal-item")).to_have_count(1)
    fits(page, "kb")
    page.click(".portal-item")
    expect(page.locator("h1")).to_have_text("礼盒缺件怎么办")
    expect(page.locator("article")).to_contain_text("24 小时内补发")
    fits(page, "article")

    # a request with a photo; while the subject is typed, the article is suggested
    page.goto(base(server) + "/portal/requests/new")
    fits(page, "new-request")
    page.locator("input[name=subject]").press_sequentially("礼盒缺件", delay=30)
    suggest = page.locator("[data-kb-suggest]")
    expect(suggest).to_be_visible()
    expect(suggest.locator("a")).to_have_text("礼盒缺件怎么办")
    assert suggest.locator("a").get_attribute("href") == f"/portal/kb/{article['id']}?from=suggest"
    fits(page, "new-request-suggested")
    page.fill("input[name=subject]", "礼盒少了一盒 😢")
    page.select_option("select[name=type]", "complaint")
    page.fill("textarea[name=body]", "收到三盒里只有两盒，附照片。")
    photo = tmp_path / "照片.png"
    photo.write_bytes(PNG)
    page.set_input_files("input[name=attachments]", str(photo))
    page.click("form button.primary")
    expect(page.locator(".flash.ok")).to_contain_text("已收到您的请求")
    expect(page.locator("h1")).to_contain_text("礼盒少了一盒")
    expect(page.locator(".portal-thread")).to_contain_text("照片.png")
    fits(page, "request")

    # the desk sees it as the customer's, from the portal
    tickets = api(server, "GET", "/api/v1/tickets")["items"]
    mine = [t for t in tickets if t["subject"] == "礼盒少了一盒 😢"]
    assert len(mine) == 1 and mine[0]["channel"] == "portal" and mine[0]["customer_id"] == customer["id"]
    ctx.close()


WORDS = {
    "zh-TW": {"lang": "zh-Hant", "name": "陳美玲", "sign_in": "登入", "enter_code": "輸入驗證碼", "orders": "我的訂單",
              "sent": "已收到您的請求", "rated": "感謝您的評價！", "five": "5 星", "answer": "已為您補寄，請留意簡訊通知。"},
    "en-US": {"lang": "en", "name": "Mei Chen", "sign_in": "Sign in", "enter_code": "Enter your code", "orders": "My orders",
              "sent": "We have your request", "rated": "Thank you for your feedback!", "five": "5 stars", "answer": "A new box is on its way."},
}


@pytest.mark.parametrize("locale", ["zh-TW", "en-US"])
def test_a_customer_rates_a_resolved_request_in_their_language(server, browser, locale):
    w = WORDS[locale]
    address = f"rate.{locale.lower()}@example.com"
    customer = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": w["name"], "emails": [address]})
    order = api(server, "POST", "/api/v1/orders", {"customer_id": customer["id"], "currency": "CNY",
                                                   "lines": [{"name": "凍頂烏龍 300g", "quantity": 1, "unit_price": 52000}]})
    ctx, page = page_for(browser, size="phone", locale=locale)
    page.goto(base(server) + "/portal")
    expect(page.locator("h1")).to_have_text(w["sign_in"])
    seen = len([m for m in server.mail.messages if address in m["to"]])
    page.fill("input[name=email]", address)
    page.click("form button.primary")
    expect(page.locator("h1")).to_have_text(w["enter_code"])
    code, _ = mailed_code(server, address, seen)
    page.fill("input[name=code]", code)
    page.click("form button.primary")
    page.wait_for_url("**/portal/orders")
    expect(page.locator("h1")).to_have_text(w["orders"])
    expect(page.locator(".portal-item")).to_contain_text(order["number"])
    fits(page, "orders", w["lang"])

    page.goto(base(server) + "/portal/requests/new")
    page.fill("input[name=subject]", "Box arrived dented 📦" if locale == "en-US" else "茶葉罐壓扁了 📦")
    page.select_option("select[name=type]", "complaint")
    page.fill("textarea[name=body]", "The lid does not close." if locale == "en-US" else "蓋子蓋不上。")
    page.click("form button.primary")
    expect(page.locator(".flash.ok")).to_contain_text(w["sent"])
    ticket = page.url.rstrip("/").split("/")[-1].split("?")[0]
    expect(page.locator("form[action$='/rate']")).to_have_count(0)   # nothing to rate before it is resolved

    # the desk answers and resolves it; the customer reads the answer and rates the service
    api(server, "POST", f"/api/v1/tickets/{ticket}/messages", {"kind": "reply", "body": w["answer"]})
    api(server, "POST", f"/api/v1/tickets/{ticket}/status", {"status": "resolved"})
    page.reload()
    expect(page.locator(".portal-thread")).to_contain_text(w["answer"])
    rate = page.locator("form[action$='/rate']")
    expect(rate).to_be_visible()
    fits(page, "rate", w["lang"])
    rate.locator("button.primary").click()          # no stars chosen: refused, in the page's language
    error = page.locator("fieldset.invalid small.error")
    expect(error).to_be_visible()
    if locale == "zh-TW":
        assert re.search(r"[\u4e00-\u9fff]", error.inner_text()), error.inner_text()
    else:
        assert not re.search(r"[\u4e00-\u9fff]", error.inner_text()), error.inner_text()
    page.locator("form[action$='/rate'] input[name=rating][value='5']").check()
    page.fill("form[action$='/rate'] textarea[name=comment]", "很快，謝謝 👍" if locale == "zh-TW" else "Quick, thanks 👍")
    page.locator("form[action$='/rate'] button.primary").click()
    expect(page.locator(".flash.ok")).to_contain_text(w["rated"])
    expect(page.locator(".rated")).to_contain_text(w["five"])      # what was given, once the form is gone
    expect(page.locator("form[action$='/rate']")).to_have_count(0)
    fits(page, "rated", w["lang"])
    survey = api(server, "GET", f"/api/v1/tickets/{ticket}/survey")["survey"]
    assert survey["rating"] == 5 and "👍" in survey["comment"], survey
    ctx.close()


def test_the_portal_api_contract_signs_in_by_mailed_code_and_keeps_to_ones_own_orders(server):
    """The contract outside checks use: a code for an address (the same answer for unknown ones), the
    session cookie from signing in with it, the customer's orders as {"items": […]}, 404 for another's."""
    import json
    customer = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "契约客户", "emails": ["contract@example.cn"]})
    mine = api(server, "POST", "/api/v1/orders", {"customer_id": customer["id"], "currency": "CNY", "lines": [{"name": "茶", "quantity": 1, "unit_price": 100}]})
    other = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": "另一位", "emails": ["other.contract@example.cn"]})
    theirs = api(server, "POST", "/api/v1/orders", {"customer_id": other["id"], "currency": "CNY", "lines": [{"name": "茶", "quantity": 1, "unit_price": 100}]})
    seen = len([m for m in server.mail.messages if "contract@example.cn" in m["to"]])
    known = server.request("POST", "/portal/api/sign-in/code", {"email": "contract@example.cn"}, auth=False)
    unknown = server.request("POST", "/portal/api/sign-in/code", {"email": "nobody.contract@example.cn"}, auth=False)
    assert known[0] == unknown[0] == 202 and known[2] == unknown[2]
    code, _ = mailed_code(server, "contract@example.cn", seen)
    status, headers, body = server.request("POST", "/portal/api/sign-in", {"email": "contract@example.cn", "code": code}, auth=False)
    assert status == 200, body
    cookie = headers["Set-Cookie"].split(";")[0]
    assert cookie.startswith("gx_portal=")
    status, _, body = server.request("GET", "/portal/api/orders", headers={"Cookie": cookie}, auth=False)
    assert status == 200 and [o["id"] for o in json.loads(body)["items"]] == [mine["id"]]
    assert server.request("GET", f"/portal/api/orders/{mine['id']}", headers={"Cookie": cookie}, auth=False)[0] == 200
    assert server.request("GET", f"/portal/api/orders/{theirs['id']}", headers={"Cookie": cookie}, auth=False)[0] == 404
    # the code was good once
    assert server.request("POST", "/portal/api/sign-in", {"email": "contract@example.cn", "code": code}, auth=False)[0] == 401
