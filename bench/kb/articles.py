"""Writes N knowledge-base articles through POST /api/v1/kb/articles (loopback only), as a help desk
would over years: a seller of tea and tea ware answering about orders, delivery, returns, invoices,
brewing and care, in Simplified Chinese (every article), Traditional Chinese and English (some).
Reproducible from the seed. Prints the search terms the benchmark asks for, one per line, URL-encoded.

    python3 bench/kb/articles.py --base http://127.0.0.1:PORT --token TOKEN --articles 100000 --queries FILE
"""
import argparse
import concurrent.futures
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

TOPICS = [  # (category, Simplified words, Traditional words, English words)
    ("订单", ["下单", "修改订单", "取消订单", "订单状态", "合并付款", "订单号"], ["下單", "修改訂單", "取消訂單", "訂單狀態"], ["order", "cancel", "status", "change"]),
    ("物流", ["顺丰速运", "物流单号", "发货时间", "配送范围", "偏远地区", "签收"], ["順豐速運", "物流單號", "發貨時間", "配送範圍"], ["shipping", "tracking", "delivery", "courier"]),
    ("售后", ["七天无理由退货", "退货运费", "换货", "破损补发", "退款到账", "质量问题"], ["七天無理由退貨", "退貨運費", "換貨", "破損補發"], ["return", "refund", "replacement", "damaged"]),
    ("发票", ["增值税普通发票", "电子发票", "开票抬头", "税号", "发票重开"], ["增值稅普通發票", "電子發票", "開票抬頭", "稅號"], ["invoice", "fapiao", "tax", "receipt"]),
    ("冲泡", ["西湖龙井", "铁观音", "普洱茶饼", "水温八十五度", "投茶量", "醒茶"], ["西湖龍井", "鐵觀音", "普洱茶餅", "水溫八十五度"], ["brewing", "temperature", "steep", "leaves"]),
    ("茶具", ["紫砂壶开壶", "青瓷茶具", "玻璃品茗杯", "茶垢清洗", "养壶"], ["紫砂壺開壺", "青瓷茶具", "玻璃品茗杯", "茶垢清洗"], ["teapot", "porcelain", "cleaning", "glass"]),
    ("会员", ["会员积分", "等级权益", "生日礼券", "积分兑换", "储值卡"], ["會員積分", "等級權益", "生日禮券", "積分兌換"], ["member", "points", "voucher", "tier"]),
    ("储存", ["防潮", "冷藏保存", "保质期", "避光密封", "茶叶受潮"], ["防潮", "冷藏保存", "保質期", "避光密封"], ["storage", "moisture", "shelf", "sealed"]),
]
FILLER_HANS = ["请您", "我们会", "一般情况下", "如果", "需要", "可以", "联系客服", "在个人中心", "工作日内", "为您处理", "感谢理解", "注意"]
FILLER_HANT = ["請您", "我們會", "一般情況下", "如果", "需要", "可以", "聯繫客服", "在個人中心", "工作日內", "為您處理"]
FILLER_EN = ["please", "we will", "usually", "if", "you can", "contact support", "within", "business days", "thank you", "note that"]

QUERIES = [  # what customers and agents type: one character, a two-character word, longer words, English, two terms, nothing found
    "茶", "退货", "发票", "物流", "龙井", "七天无理由退货", "顺丰速运", "紫砂壶开壶", "会员积分",
    "refund", "shipping", "invoice", "退货 运费", "龙井 水温", "鐵觀音", "不存在的词语", "SKU-000123",
]


def article(rng, n):
    cat, hans, hant, en = rng.choice(TOPICS)
    def body(words, filler, k, sep=""):
        return sep.join(rng.choice(words if rng.random() < 0.3 else filler) for _ in range(k))
    texts = {"zh-Hans": {"title": f"{rng.choice(hans)}：{rng.choice(hans)}{rng.choice(FILLER_HANS)}（{n}）",
                         "body": body(hans, FILLER_HANS, rng.randint(40, 160)) + f" SKU-{n % 1000:06d}"}}
    if rng.random() < 0.5:
        texts["zh-Hant"] = {"title": f"{rng.choice(hant)}：{rng.choice(hant)}", "body": body(hant, FILLER_HANT, rng.randint(30, 120))}
    if rng.random() < 0.5:
        texts["en"] = {"title": f"{rng.choice(en).capitalize()}: {rng.choice(en)} {rng.choice(FILLER_EN)}", "body": body(en, FILLER_EN, rng.randint(40, 160), " ")}
    return {"category": cat, "status": "published" if rng.random() < 0.9 else "draft",
            "visibility": "public" if rng.random() < 0.8 else "internal", "texts": texts}


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base", required=True)
    a.add_argument("--token", required=True)
    a.add_argument("--articles", type=int, default=100_000)
    a.add_argument("--threads", type=int, default=4)
    a.add_argument("--queries", required=True)
    a.add_argument("--seed", type=int, default=25)
    o = a.parse_args()
    assert 1 <= o.articles <= 200_000, "--articles is 1 to 200,000"
    u = urllib.parse.urlsplit(o.base)
    assert u.hostname in ("127.0.0.1", "localhost"), "loopback only"
    with open(o.queries, "w") as f:
        for q in QUERIES:
            f.write(urllib.parse.quote(q) + "\n")
    local = threading.local()
    counter = iter(range(o.articles))
    lock = threading.Lock()

    def next_n():
        with lock:
            return next(counter, None)

    def worker(w):
        rng = random.Random(o.seed * 1000 + w)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        made = 0
        while (n := next_n()) is not None:
            body = json.dumps(article(rng, n), ensure_ascii=False).encode()
            for attempt in range(20):
                c.request("POST", "/api/v1/kb/articles", body, {"Authorization": f"Bearer {o.token}", "Content-Type": "application/json"})
                r = c.getresponse()
                r.read()
                if r.status == 201:
                    made += 1
                    break
                if r.status in (429, 503):
                    time.sleep(float(r.getheader("Retry-After") or 1))
                    continue
                raise SystemExit(f"article {n}: HTTP {r.status}")
        return made

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(o.threads) as ex:
        made = sum(ex.map(worker, range(o.threads)))
    took = time.time() - t0
    print(f"{made} articles written in {took:.1f} s ({made / took:.0f}/s through the API, {o.threads} connections)", file=sys.stderr)


if __name__ == "__main__":
    main()
