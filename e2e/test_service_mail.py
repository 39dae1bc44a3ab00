"""The service desk's mail with the real binary: `guanxi serve` reads a Dovecot mailbox (started by
scripts/with-mail, GUANXI_TEST_IMAP_URL) into tickets and mails agents' replies through an aiosmtpd
relay, threaded; mail it cannot read is quarantined. Skipped when no IMAP server is named."""
import base64
import email
import email.header
import imaplib
import os
import time
import urllib.parse
import uuid

import pytest

from conftest import Server

IMAP_URL = os.environ.get("GUANXI_TEST_IMAP_URL")
pytestmark = pytest.mark.skipif(not IMAP_URL, reason="no IMAP server (run inside scripts/with-mail)")


def imap_session():
    u = urllib.parse.urlparse(IMAP_URL)
    m = imaplib.IMAP4(u.hostname, u.port)
    m.login(urllib.parse.unquote(u.username), urllib.parse.unquote(u.password))
    return m


def deliver(folder, raw):
    m = imap_session()
    typ, _ = m.append(folder, None, None, raw)
    assert typ == "OK"
    m.logout()


def mail(sender, subject, body, message_id, in_reply_to=None):
    h = [f"From: {sender}", "To: kf@guanxi.example", f"Subject: {subject}", f"Message-ID: <{message_id}>", "MIME-Version: 1.0",
         "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64"]
    if in_reply_to:
        h += [f"In-Reply-To: <{in_reply_to}>", f"References: <{in_reply_to}>"]
    return ("\r\n".join(h) + "\r\n\r\n" + base64.b64encode(body.encode()).decode() + "\r\n").encode()


def gb2312(text):
    return "=?GB2312?B?" + base64.b64encode(text.encode("gb18030")).decode() + "?="


def eventually(check, timeout=30):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.3)


@pytest.fixture(scope="module")
def desk():
    folder = "e2e" + uuid.uuid4().hex[:12]
    m = imap_session()
    assert m.create(folder)[0] == "OK"
    m.logout()
    s = Server()
    u = urllib.parse.urlparse(IMAP_URL)
    s.env["GUANXI_IMAP_URL"] = urllib.parse.urlunparse(u._replace(path="/" + folder))
    s.env["GUANXI_IMAP_INTERVAL"] = "1"
    s.env["GUANXI_PUBLIC_URL"] = "https://crm.example.cn"
    s.folder = folder
    # a customer's mail waits before the server starts: the first pass at start files it
    s.customer = f"wang.{uuid.uuid4().hex[:8]}@example.cn"
    s.first_id = f"c1.{uuid.uuid4().hex}@mail.example.cn"
    deliver(folder, mail(f"{gb2312('王芳')} <{s.customer}>", gb2312("茶叶罐破损"), "收到的茶叶罐压扁了 😢", s.first_id))
    try:
        s.start()
        yield s
    finally:
        s.stop()


def test_mail_becomes_a_ticket_the_reply_goes_out_threaded_and_the_answer_reopens_it(desk):
    # the waiting mail became an email ticket for a new customer named from the sender
    tickets = eventually(lambda: desk.json("GET", "/api/v1/tickets")[2]["items"])
    assert len(tickets) == 1
    t = tickets[0]
    assert t["subject"] == "茶叶罐破损" and t["channel"] == "email" and t["status"] == "new"
    _, _, customer = desk.json("GET", f"/api/v1/customers/{t['customer_id']}")
    assert customer["name"] == "王芳" and customer["emails"] == [desk.customer]
    # an agent's reply (waiting on the customer) is mailed to her at once, threaded onto her mail
    status, _, answer = desk.json("POST", f"/api/v1/tickets/{t['id']}/messages",
                                  {"kind": "reply", "body": "您好，已为您安排换货。", "status": "waiting_customer"})
    assert status == 201
    sent = eventually(lambda: [m for m in desk.mail.messages if m["to"] == [desk.customer]], timeout=15)
    assert len(sent) == 1
    msg = email.message_from_bytes(sent[0]["data"])
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert subject == f"Re: [#{t['number']}] 茶叶罐破损"
    assert msg["In-Reply-To"] == f"<{desk.first_id}>"
    reply_id = msg["Message-ID"].strip("<>")
    assert reply_id == f"ticket-{t['id']}-{answer['message']['id']}@crm.example.cn"
    assert base64.b64decode(msg.get_payload()).decode() == "您好，已为您安排换货。"
    # her answer to that mail lands on the same ticket and opens it again
    deliver(desk.folder, mail(desk.customer, f"Re: [#{t['number']}] =?UTF-8?B?{base64.b64encode('茶叶罐破损'.encode()).decode()}?=",
                              "谢谢！\n\n在 2026年10月9日，关系客服 写道：\n> 您好", f"c2.{uuid.uuid4().hex}@mail.example.cn", reply_id))
    opened = eventually(lambda: desk.json("GET", f"/api/v1/tickets/{t['id']}")[2]["status"] == "open")
    assert opened
    _, _, conversation = desk.json("GET", f"/api/v1/tickets/{t['id']}/messages")
    assert [m["body"] for m in conversation["items"]] == ["收到的茶叶罐压扁了 😢", "您好，已为您安排换货。", "谢谢！"]


def test_unreadable_mail_is_quarantined_and_the_next_still_arrives(desk):
    deliver(desk.folder, b"Subject: no sender\r\n\r\nwho am I\r\n")
    deliver(desk.folder, mail(f"zhao.{uuid.uuid4().hex[:8]}@example.cn", "invoice", "请开发票", f"z.{uuid.uuid4().hex}@x"))
    kept = eventually(lambda: desk.json("GET", "/api/v1/service/mail-quarantine")[2]["items"])
    assert [k["reason"] for k in kept] == ["the mail has no sender (From)"]
    assert eventually(lambda: any(t["subject"] == "invoice" for t in desk.json("GET", "/api/v1/tickets")[2]["items"]))


PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n"


def test_attachments_come_in_with_mail_are_kept_on_disk_and_go_out_with_replies(desk):
    # a customer's mail with a photo and a web page: the photo is kept, the page only named
    sender = f"li.{uuid.uuid4().hex[:8]}@example.cn"
    boundary = "b" + uuid.uuid4().hex
    raw = "\r\n".join([
        f"From: {sender}", "Subject: =?UTF-8?B?" + base64.b64encode("照片".encode()).decode() + "?=",
        f"Message-ID: <a.{uuid.uuid4().hex}@example.cn>", "MIME-Version: 1.0", f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
        f"--{boundary}", "Content-Type: text/plain; charset=UTF-8", "", "照片见附件",
        f"--{boundary}", "Content-Type: image/png", "Content-Disposition: attachment; filename*=utf-8''%E7%85%A7%E7%89%87.png",
        "Content-Transfer-Encoding: base64", "", base64.b64encode(PNG).decode(),
        f"--{boundary}", "Content-Type: text/html", 'Content-Disposition: attachment; filename="page.html"', "", "<script>alert(1)</script>",
        f"--{boundary}--", ""]).encode()
    deliver(desk.folder, raw)
    ticket = eventually(lambda: next((t for t in desk.json("GET", "/api/v1/tickets")[2]["items"] if t["subject"] == "照片"), None))
    assert ticket
    first = desk.json("GET", f"/api/v1/tickets/{ticket['id']}/messages")[2]["items"][0]
    assert [a["name"] for a in first["attachments"]] == ["照片.png"]
    assert "page.html: is not an allowed file type" in first["body"]
    sha = first["attachments"][0]["sha256"]
    assert os.path.exists(os.path.join(desk.dir, "files", sha[:2], sha[2:4], sha))
    # the download is saved, never shown
    status, headers, data = desk.request("GET", f"/api/v1/tickets/{ticket['id']}/attachments/{first['attachments'][0]['id']}")
    assert status == 200 and data == PNG and headers["Content-Type"] == "image/png"
    assert headers["Content-Disposition"] == "attachment; filename=\"__.png\"; filename*=UTF-8''%E7%85%A7%E7%89%87.png"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Content-Security-Policy"].startswith("sandbox")
    # a reply sent as multipart with an invoice goes out as multipart/mixed
    form = uuid.uuid4().hex
    body = b"".join([
        f'--{form}\r\nContent-Disposition: form-data; name="body"\r\n\r\n'.encode(), "发票见附件".encode(), b"\r\n",
        f'--{form}\r\nContent-Disposition: form-data; name="attachments"; filename="'.encode(), "发票 🧾.pdf".encode(),
        b'"\r\nContent-Type: application/pdf\r\n\r\n', PDF, f"\r\n--{form}--\r\n".encode()])
    status, _, answer = desk.request("POST", f"/api/v1/tickets/{ticket['id']}/messages", raw=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={form}"})
    assert status == 201, answer
    sent = eventually(lambda: [m for m in desk.mail.messages if m["to"] == [sender]], timeout=15)
    assert len(sent) == 1
    msg = email.message_from_bytes(sent[0]["data"])
    assert msg.get_content_type() == "multipart/mixed"
    parts = [p for p in msg.walk() if p.get_content_disposition() == "attachment"]
    assert [p.get_filename() for p in parts] == ["发票 🧾.pdf"] and parts[0].get_payload(decode=True) == PDF
