"""CSV import and export through the CLI, including GB18030 files and bad rows."""
import csv
import io
import os
import urllib.parse


def write(server, name, data):
    path = os.path.join(server.dir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def test_gb18030_import_with_chinese_headers_reports_bad_rows_and_keeps_good_ones(server):
    text = "姓名,手机,邮箱,公司,城市,标签\r\n" \
           "张伟,13900001111,zhangwei@example.cn,上海华信贸易有限公司,上海,高意向;华东\r\n" \
           "李娜,13900002222,not-an-email,,北京,\r\n" \
           "\"坏引号,13900003333,x@example.cn,,,\r\n" \
           "陈静,13900004444,chenjing@example.cn,,广州,老客户\r\n"
    path = write(server, "gb.csv", text.encode("gb18030"))
    p = server.cli("import", "customers", path)
    out = p.stdout.decode()
    assert "gb18030" in out, out
    assert "2 created" in out and "2 rejected" in out, out
    assert "line 3" in out and "line 4" in out, out


def test_reimport_upserts_by_phone_instead_of_duplicating(server):
    path = write(server, "again.csv", "Name,Mobile,Tags\n张伟,139-0000-1111,复购\n".encode())
    out = server.cli("import", "customers", path).stdout.decode()
    assert "0 created" in out and "1 updated" in out, out


def test_export_round_trips_chinese_and_emoji(server):
    status, _, _ = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "小红🌸", "tags": ["VIP客户", "😀"]})
    assert status == 201
    out = os.path.join(server.dir, "out.csv")
    server.cli("export", "customers", out)
    rows = list(csv.DictReader(io.StringIO(open(out, encoding="utf-8-sig").read())))
    red = [r for r in rows if r["name"] == "小红🌸"]
    assert red and red[0]["tags"] == "VIP客户;😀"
    # The export re-imports without a mapping and without creating anyone new.
    p = server.cli("import", "customers", out)
    assert " 0 created" in p.stdout.decode() or "0 created" in p.stdout.decode()


def test_maintain_compacts_the_search_indexes_while_the_server_runs(server):
    status, _, _ = server.json("POST", "/api/v1/customers", {"kind": "person", "name": "维护测试王小明", "emails": ["weihu@example.cn"]})
    assert status == 201
    out = server.cli("maintain").stdout.decode()
    if server.pg_db:
        assert out.startswith("Statistics refreshed in"), out
    else:
        assert "compacted customer_bigrams, customer_fts" in out, out
    status, _, body = server.json("GET", "/api/v1/search?q=" + urllib.parse.quote("小明"))
    assert status == 200 and any(c["name"] == "维护测试王小明" for c in body["items"]), body


def big_csv(rows):
    out = io.StringIO()
    out.write("姓名,邮箱,手机,标签\n")
    for i in range(rows):
        out.write(f"客户{i} 😀,c{i}@crash.example,+86139{i:08d},导入\n")
    return out.getvalue().encode()


def test_an_api_import_killed_mid_run_is_taken_over_after_restart():
    import json
    import signal
    import time
    from conftest import Server
    s = Server()
    try:
        s.start()
        data = big_csv(40_000)
        status, _, body = s.request("POST", "/api/v1/imports?filename=big.csv", raw=data,
                                    headers={"Content-Type": "text/csv", "Idempotency-Key": "crash-1"})
        assert status == 202, body
        job = json.loads(body)["id"]
        time.sleep(1.0)
        status, _, now = s.json("GET", f"/api/v1/imports/{job}")
        assert now["status"] == "running", now   # still importing when the server dies
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
        # the restarted server takes the job over at once (its process is gone) and runs it again from the kept upload
        s.restart()
        log_path = os.path.join(s.dir, "serve.log")
        deadline = time.time() + 15
        while f"took over import {job}" not in open(log_path, encoding="utf-8", errors="replace").read():
            assert time.time() < deadline, "the interrupted import was not taken over within 15 s"
            time.sleep(0.2)
        # on SQLite the import holds the one writer, so a request that writes (a token's first use
        # after the restart) waits for it; keep asking until the job ends
        deadline = time.time() + 1200
        while time.time() < deadline:
            try:
                status, _, now = s.json("GET", f"/api/v1/imports/{job}")
            except OSError:
                continue
            if now["status"] != "running":
                break
            time.sleep(0.5)
        assert now["status"] == "finished", now
        assert now["report"]["created"] == 40_000 and now["report"]["rejected"] == 0, now["report"]["total"]
        # exactly once: had the interrupted run left any row behind, the rerun would have updated it (the
        # emails are natural keys) instead of creating all 40,000
        # the key replays the finished job; nothing is imported twice
        status, h, again = s.request("POST", "/api/v1/imports?filename=big.csv", raw=data,
                                     headers={"Content-Type": "text/csv", "Idempotency-Key": "crash-1"})
        assert status == 202 and json.loads(again)["id"] == job and h.get("Idempotent-Replayed") == "true"
    finally:
        s.stop()


def test_orders_and_scores_export_for_a_warehouse(server):
    import json
    # Order history of Chinese-named customers, scored, exported as CSV and NDJSON.
    rows = ["customer_external_id,placed_at,amount,product"]
    for i in range(40):
        rows.append(f"茶客-{i % 8},2026-0{1 + i % 5}-1{i % 9},{100 + i}.50,{'绿茶' if i % 2 else '红茶 🍵'}")
    path = write(server, "history.csv", ("\n".join(rows) + "\n").encode("utf-8"))
    server.cli("import", "orders", path)
    server.cli("analyze", "score", "--as-of", "2026-06-30", "--format", "json")
    out = os.path.join(server.dir, "orders.ndjson")
    server.cli("export", "orders", out, "--format", "ndjson")
    with open(out, encoding="utf-8") as f:
        orders = [json.loads(line) for line in f if line.strip()]
    assert len(orders) >= 40 and all("lines" in o and o["placed_at"].endswith("Z") for o in orders)
    csv_out = os.path.join(server.dir, "scores.csv")
    server.cli("export", "scores", csv_out)
    with open(csv_out, encoding="utf-8-sig") as f:
        scores = list(csv.DictReader(f))
    assert len(scores) == 8 and {s["churn_risk"] for s in scores} <= {"low", "medium", "high"}
    bad = server.cli("export", "orders", out, "--format", "parquet", check=False)
    assert bad.returncode != 0
