"""Web-form double opt-in against a real SMTP server: the form keeps nothing until the visitor
follows the link mailed to them; the link works once; a form without outgoing mail cannot ask for it."""
import base64
import email
import re
import urllib.parse

from conftest import q


def form_post(server, path, fields):
    body = urllib.parse.urlencode(fields).encode()
    return server.request("POST", path, raw=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, auth=False)


def test_a_double_opt_in_form_keeps_the_lead_only_after_the_emailed_link(server):
    status, _, src = server.json("POST", "/api/v1/lead-sources", {"kind": "form", "name": "春季活动报名", "double_opt_in": True})
    assert status == 201 and src["double_opt_in"] is True
    key = src["public_key"]
    # the email is required on such a form; a bad one is a field error
    status, _, page = form_post(server, f"/f/{key}", {"name": "林小姐", "phone": "13800001111"})
    assert status == 422 and "用于确认您的提交，必填" in page.decode()
    # a good submission: "check your email", and no lead yet
    status, _, page = form_post(server, f"/f/{key}", {"name": "林小姐 🌸", "email": "lin@example.com", "phone": "13800001111", "website": ""})
    assert status == 200 and "请查收邮件" in page.decode()
    _, _, leads = server.json("GET", "/api/v1/leads")
    assert not any(l["name"].startswith("林小姐") for l in leads["items"])
    # the mail arrived at the SMTP server, in the visitor's language, with the link
    assert len(server.mail.messages) == 1
    m = server.mail.messages[0]
    assert m["to"] == ["lin@example.com"] and m["from"] == "crm@guanxi.example"
    msg = email.message_from_bytes(m["data"])
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert "春季活动报名" in subject
    text = base64.b64decode(msg.get_payload()).decode()
    link = re.search(r"http://\S+/confirm/\S+", text).group(0)
    path = urllib.parse.urlparse(link).path
    # opening the link shows a button (mail scanners that fetch links confirm nothing)
    status, _, page = server.request("GET", path, auth=False)
    assert status == 200 and "确认提交" in page.decode()
    _, _, leads = server.json("GET", "/api/v1/leads")
    assert not any(l["name"].startswith("林小姐") for l in leads["items"])
    # pressing it keeps the lead, once
    status, _, page = server.request("POST", path, auth=False, raw=b"")
    assert status == 200 and "已确认" in page.decode()
    _, _, leads = server.json("GET", "/api/v1/leads")
    mine = [l for l in leads["items"] if l["name"] == "林小姐 🌸"]
    assert len(mine) == 1 and mine[0]["email"] == "lin@example.com" and mine[0]["channel"] == "form"
    status, _, page = server.request("POST", path, auth=False, raw=b"")
    assert status == 404 and "已使用或已过期" in page.decode()
    # a made-up token is refused the same way
    status, _, _ = server.request("POST", f"/f/{key}/confirm/not-a-real-token", auth=False, raw=b"")
    assert status == 404


def test_a_webhook_cannot_ask_for_email_confirmation(server):
    status, _, err = server.json("POST", "/api/v1/lead-sources", {"kind": "webhook", "name": "抖音", "double_opt_in": True})
    assert status == 422 and "double_opt_in" in err["error"]["fields"]
