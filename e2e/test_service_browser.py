"""The service desk in a real browser, in 简体, 繁體 and English, on a desktop and on a 390 px phone:
an agent works the queue and a ticket (a reply that changes the status, an internal note, an empty
reply and a stale tab refused in the user's language), hands the ticket to the quality department,
whose member completes the hand-off so the customer is told what happens next; an agent of another
department cannot open it, and the service reports draw their charts. Every page must fit the
window (nothing sticking out sideways) and speak the page's language; screenshots of each go to
e2e/screenshots/ (git-ignored) for people to look at."""
import itertools
import re

import pytest
from playwright.sync_api import expect

from test_browser import SIZES, api, base, browser, page_for, shot, sign_in  # noqa: F401  (browser is a fixture)

PASSWORD = "Desk-Passw0rd"

# what each language must say (the service catalog's words)
WORDS = {
    "zh-CN": dict(lang="zh-Hans", tickets="工单", mine="我的工单", departments="我的部门", status="状态", status_new="新建",
                  left="剩余", first_response="首次响应", waiting="等待客户", reply="回复客户", note="内部备注",
                  body_error="须为 1 到 50000 个字", fix_fields="请修改标红的字段", conflict="别人已经修改了这条记录",
                  handoff="转交", active="进行中", done="已完成", closed_by="办结：", not_found="找不到这张工单",
                  passed="已交给其他部门或同事处理", reports="客服报表", per_day="每日新建工单", event="服务工单", step_done="环节完成"),
    "zh-TW": dict(lang="zh-Hant", tickets="工單", mine="我的工單", departments="我的部門", status="狀態", status_new="新建",
                  left="剩餘", first_response="首次回應", waiting="等待客戶", reply="回覆客戶", note="內部備註",
                  body_error="須為 1 到 50000 字", fix_fields="請修正標紅的欄位", conflict="其他人已修改這筆紀錄",
                  handoff="轉交", active="進行中", done="已完成", closed_by="辦結：", not_found="找不到這張工單",
                  passed="已交給其他部門或同事處理", reports="客服報表", per_day="每日新增工單", event="服務工單", step_done="環節完成"),
    "en-US": dict(lang="en", tickets="Tickets", mine="Mine", departments="My departments", status="Status", status_new="New",
                  left="left", first_response="First response", waiting="Waiting on customer", reply="Reply", note="Internal note",
                  body_error="must be 1 to 50000 characters", fix_fields="Please fix", conflict="Someone else changed this record first",
                  handoff="Hand-off", active="In progress", done="Done", closed_by="Closed by", not_found="This ticket does not exist",
                  passed="was passed on to another department", reports="Service reports", per_day="Tickets opened per day", event="Service ticket", step_done="Step done"),
}

# Nothing may stick out of the window sideways (the page scrolling or a box cut at its edge), no
# catalog key may show instead of its words, and a Chinese page shows no English words of ours
# (the data typed in, e-mail addresses, times and these abbreviations aside).
CHECK_JS = r"""
([chinese, allowed]) => {
  const problems = [], w = document.documentElement.clientWidth;
  if (document.scrollingElement.scrollWidth > w + 1) problems.push('page is ' + document.scrollingElement.scrollWidth + ' px wide');
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || el.closest('.sr, .skip, .scroll, details:not([open]) > :not(summary), option, svg *')) continue;
    if (r.right > w + 1 || r.left < -1) problems.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}: "${el.textContent.trim().slice(0, 30)}"`);
  }
  const text = document.body.innerText;
  for (const m of text.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) || []) problems.push('catalog key shown: ' + m);
  if (chinese) {
    const ours = [...document.querySelectorAll('body *')].filter(el => !el.closest('.msg .body, .msg .from strong, .step .what strong, .closed, td.what, h1, .meta a, option'))
      .flatMap(el => [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent)).join(' ').replace(/\S+@\S+/g, ' ');
    for (const word of ours.match(/[A-Za-z][A-Za-z-]{2,}/g) || []) if (!allowed.includes(word)) problems.push('English on a Chinese page: ' + word);
  }
  return problems.slice(0, 8);
}
"""
# "Enter" is the key's name on Taiwanese keyboards too (繁體: "按 Enter 開啟")
ALLOWED = ["CRM", "EN", "SLA", "CSV", "NPS", "CSAT", "API", "SKU", "Enter", "PDF", "Office", "ZIP"]  # file formats are named as they are


def check(page, locale, name, size):
    problems = page.evaluate(CHECK_JS, [locale != "en-US", ALLOWED])
    assert problems == [], f"{name} {locale} {size}: {problems}"
    assert page.locator("html").get_attribute("lang") == WORDS[locale]["lang"]
    shot(page, f"service-{name}-{WORDS[locale]['lang']}-{size}")


@pytest.fixture(scope="module")
def desk(server):
    """Three departments with an agent each: 客服部 (the agent working the tickets), 品质部 (quality) and 物流部 (logistics)."""
    people = {"agent": "李客服", "quality": "张品质", "logistics": "赵物流"}
    for who, name in people.items():
        server.cli("user", "create", "--email", f"{who}@example.com", "--password", PASSWORD, "--name", name, "--role", "service_agent")
    ids = {u["email"].split("@")[0]: u["id"] for u in api(server, "GET", "/api/v1/users")["items"]}
    teams = {}
    for who, team in [("agent", "客服部"), ("quality", "品质部"), ("logistics", "物流部")]:
        teams[who] = api(server, "POST", "/api/v1/teams", {"name": team, "member_ids": [ids[who]]})["id"]
    return {"ids": ids, "teams": teams, "names": people, "count": itertools.count(1), "sessions": {}}


def signed_in(browser, server, desk, who, size, locale):
    """A window of `size` in `locale` with `who` signed in: through the sign-in form the first time,
    then with the session that gave (signing in hashes a password, slow in a debug build)."""
    if who not in desk["sessions"]:
        ctx, page = page_for(browser, size=size, locale=locale)
        sign_in(page, server, f"{who}@example.com", PASSWORD)
        desk["sessions"][who] = ctx.storage_state()
        return ctx, page
    w, h = SIZES[size]
    ctx = browser.new_context(viewport={"width": w, "height": h}, locale=locale, storage_state=desk["sessions"][who])
    return ctx, ctx.new_page()


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("locale", ["zh-CN", "zh-TW", "en-US"])
def test_queue_ticket_reply_note_and_hand_off(server, browser, desk, locale, size):
    w = WORDS[locale]
    n = next(desk["count"])
    # given a customer's complaint, in the agent's department and assigned to them
    customer = api(server, "POST", "/api/v1/customers", {"kind": "person", "name": f"王芳{n}", "emails": [f"wang.{n}@example.cn"]})
    subject = f"茶叶罐破损，要求换货 {n} 😢"
    ticket = api(server, "POST", "/api/v1/tickets", {"customer_id": customer["id"], "subject": subject, "body": "收到时罐子已经压扁了。",
                                                     "type": "complaint", "priority": "high", "channel": "email",
                                                     "team_id": desk["teams"]["agent"], "assignee_id": desk["ids"]["agent"]})
    url = base(server) + "/tickets/" + ticket["id"]
    ctx, page = signed_in(browser, server, desk, "agent", size, locale)

    # the queue: their tab, the status filter, and the next due in words
    page.goto(base(server) + "/tickets?queue=mine")
    expect(page.locator("h1")).to_have_text(w["tickets"])
    expect(page.locator("nav.tabs a[aria-current]")).to_have_text(w["mine"])
    expect(page.locator("nav.tabs")).to_contain_text(w["departments"])
    expect(page.locator("form.filters label:has(select[name=status])")).to_contain_text(w["status"])
    page.select_option("form.filters select[name=status]", "new")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"status=new"))
    row = page.locator("table.tickets tbody tr", has_text=subject)
    expect(row.locator("td.state")).to_have_text(w["status_new"])
    expect(row.locator("td.due strong")).to_contain_text(w["left"])
    expect(row.locator("td.due small")).to_contain_text(w["first_response"])
    check(page, locale, "queue", size)

    # the ticket
    row.locator("td.what a").first.click()
    expect(page.locator("h1")).to_contain_text(subject)
    check(page, locale, "ticket", size)

    # an empty internal note is refused by its field, in the language, keeping the choices made
    reply = page.locator("form.reply")
    reply.locator("input[value=note]").check()
    reply.locator("select[name=status]").select_option("waiting_customer")
    reply.locator("button.primary").click()
    expect(reply.locator("#e-body")).to_have_text(w["body_error"])
    expect(page.locator(".flash.bad")).to_contain_text(w["fix_fields"])
    expect(reply.locator("input[value=note]")).to_be_checked()
    expect(reply.locator("select[name=status]")).to_have_value("waiting_customer")
    check(page, locale, "ticket-empty-reply", size)

    # a reply to the customer that waits on them
    reply.locator("input[value=reply]").check()
    reply.locator("textarea[name=body]").fill("您好，已为您安排换货，请拍一张罐子的照片给我们 🙏")
    reply.locator("select[name=status]").select_option("waiting_customer")
    reply.locator("button.primary").click()
    expect(page.locator(".msg-reply").last).to_contain_text("已为您安排换货")
    expect(page.locator(".msg-reply .tag").last).to_have_text(w["reply"])
    expect(page.locator("p.meta .tag").first).to_have_text(w["waiting"])
    # and an internal note for colleagues
    reply.locator("input[value=note]").check()
    reply.locator("textarea[name=body]").fill("仓库说今天下午可以发出")
    reply.locator("button.primary").click()
    expect(page.locator(".msg-note").last).to_contain_text("仓库说今天下午可以发出")
    expect(page.locator(".msg-note .tag").last).to_have_text(w["note"])

    # a second tab still on the old version: its reply is refused with the reason, keeping the words typed
    stale = ctx.new_page()
    stale.goto(url)
    reply.locator("input[value=note]").check()
    reply.locator("textarea[name=body]").fill("第一个标签页先保存")
    reply.locator("button.primary").click()
    expect(page.locator(".msg").last).to_contain_text("第一个标签页先保存")
    stale.locator("form.reply textarea[name=body]").fill("第二个标签页的回复，不要丢")
    stale.locator("form.reply button.primary").click()
    expect(stale.locator(".flash.bad")).to_contain_text(w["conflict"])
    expect(stale.locator("form.reply textarea[name=body]")).to_have_value("第二个标签页的回复，不要丢")
    check(stale, locale, "ticket-conflict", size)
    stale.close()

    # a hand-off to quality takes the ticket out of the agent's department: they land on their queue, told so
    page.reload()
    add = page.locator("form.add-step")
    add.locator("select[name=kind]").select_option("handoff")
    add.locator("select[name=step_team_id]").select_option(label="品质部")
    add.locator("input[name=title]").fill("检查罐子的质量")
    add.locator("input[name=minutes]").fill("240")
    add.locator("button").click()
    expect(page.locator(".flash.ok")).to_contain_text(f"#{ticket['number']}")
    expect(page.locator(".flash.ok")).to_contain_text(w["passed"])
    check(page, locale, "queue-passed-on", size)
    ctx.close()

    # quality finds it among their department's tickets, adds the next link of the chain (back to
    # the service department, to ship the replacement) and completes their own step
    ctx, page = signed_in(browser, server, desk, "quality", size, locale)
    page.goto(base(server) + "/tickets?queue=departments")
    page.locator("table.tickets tbody tr", has_text=subject).locator("td.what a").first.click()
    expect(page.locator(".chain .step-active")).to_contain_text(w["active"])
    add = page.locator("form.add-step")
    add.locator("select[name=kind]").select_option("handoff")
    add.locator("select[name=step_team_id]").select_option(label="客服部")
    add.locator("input[name=title]").fill("安排换货发货")
    add.locator("button").click()
    expect(page.locator(".chain .step", has_text="安排换货发货")).to_contain_text(w["handoff"])
    active = page.locator(".chain .step-active")
    expect(active).to_contain_text("检查罐子的质量")
    active.locator("input[name=note]").fill("罐子质量合格，同意换货")
    check(page, locale, "ticket-steps", size)
    active.locator("button.primary").click()
    expect(page.locator(".flash.ok")).to_contain_text(w["passed"])
    ctx.close()

    # back with the agent: quality's step is closed with its note, the service department's runs,
    # and the customer was told who has the case now (in the words the desk writes to customers)
    ctx, page = signed_in(browser, server, desk, "agent", size, locale)
    page.goto(url)
    done = page.locator(".chain .step", has_text="检查罐子的质量")
    expect(done).to_contain_text(w["done"])
    expect(done.locator(".closed")).to_contain_text(w["closed_by"])
    expect(done.locator(".closed")).to_contain_text("张品质")
    expect(done.locator(".closed")).to_contain_text("罐子质量合格，同意换货")
    expect(page.locator(".chain .step-active")).to_contain_text("安排换货发货")
    expect(page.locator(".msg-reply").last).to_contain_text(f"您的工单 #{ticket['number']} 已转交「客服部」继续处理")
    check(page, locale, "ticket-handed-back", size)

    # the customer's timeline shows the hand-off
    page.goto(base(server) + "/customers/" + customer["id"])
    entry = page.locator(".timeline li", has_text="罐子质量合格，同意换货").first
    expect(entry).to_contain_text(w["event"])
    expect(entry).to_contain_text(f"#{ticket['number']} · {w['step_done']} · 检查罐子的质量")
    check(page, locale, "customer-timeline", size)
    # and the service reports draw their charts
    page.goto(base(server) + "/service/reports")
    expect(page.locator("h1")).to_have_text(w["reports"])
    expect(page.locator("figure.chart-card svg").first).to_be_visible()
    assert page.locator("figure.chart-card svg").count() == 4
    expect(page.locator("figure.chart-card").first).to_contain_text(w["per_day"])
    check(page, locale, "reports", size)
    ctx.close()

    # an agent of another department cannot open it
    ctx, page = signed_in(browser, server, desk, "logistics", size, locale)
    response = page.goto(url)
    assert response.status == 404
    expect(page.locator(".flash.bad")).to_contain_text(w["not_found"])
    assert subject not in page.content()
    check(page, locale, "ticket-not-found", size)
    ctx.close()
