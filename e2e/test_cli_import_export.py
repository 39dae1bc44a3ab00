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
