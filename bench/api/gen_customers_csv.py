#!/usr/bin/env python3
"""Write a deterministic customer CSV with Chinese headers for import benchmarks.

  gen_customers_csv.py --rows N [--seed S] [--bom] OUT.csv

Columns: 姓名,手机,邮箱,公司,城市,标签. Same arguments, same bytes. Every row has
a unique mobile number and a unique e-mail address, so an import creates N
customers (no row merges into another). About 70% of rows name one of ~2,000
companies; tags are separated by ';'.
"""
import argparse
import csv
import random
import sys

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国宇浩然子涵欣怡思雨晨阳文博嘉琪梓轩佳慧俊峰志强小明海燕春梅"
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu",
          "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng"]
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                   "158", "159", "166", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "199"]
DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "sina.com", "outlook.com", "foxmail.com", "example.cn"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安", "天津", "长沙",
          "郑州", "青岛", "厦门", "宁波", "合肥", "福州", "济南", "昆明", "大连", "沈阳", "无锡", "东莞", "佛山",
          "台北", "香港", "新加坡", "吉隆坡"]
COMPANY_HEADS = ["华信", "恒达", "金鼎", "瑞丰", "东方", "宏远", "新锐", "天成", "汇通", "博雅", "安泰", "鸿运",
                 "卓越", "正大", "星辰", "蓝海", "嘉禾", "中科", "盛世", "永辉"]
COMPANY_TRADES = ["科技", "贸易", "电子", "食品", "物流", "文化传媒", "医药", "建材", "服饰", "教育咨询"]
COMPANY_TAILS = ["有限公司", "股份有限公司", "集团", "工作室"]
TAGS = ["VIP", "重点客户", "老客户", "新客户", "展会", "转介绍", "华东", "华南", "华北", "电商", "批发", "零售",
        "高潜力", "已回访", "待跟进"]

PHONE_SPACE = 10 ** 8
PHONE_MULT = 48271          # odd and not a multiple of 5: i -> i*MULT mod 10^8 is a bijection


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--bom", action="store_true", help="start with a UTF-8 byte order mark (as Excel writes)")
    ap.add_argument("out")
    a = ap.parse_args()
    if not 0 < a.rows < PHONE_SPACE:
        sys.exit(f"--rows must be between 1 and {PHONE_SPACE - 1}")

    rng = random.Random(a.seed)
    # 800 head+trade+tail names, each also with a city in front, plus 400 more: ~2,000 companies
    companies = sorted({h + c + t for h in COMPANY_HEADS for c in COMPANY_TRADES for t in COMPANY_TAILS})
    companies = [c if i % 3 else rng.choice(CITIES) + c for i, c in enumerate(companies)]
    companies += [rng.choice(CITIES) + c for c in companies]
    companies += [rng.choice(CITIES) + rng.choice(COMPANY_HEADS) + c for c in companies[:400]]

    with open(a.out, "w", encoding="utf-8-sig" if a.bom else "utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["姓名", "手机", "邮箱", "公司", "城市", "标签"])
        for i in range(a.rows):
            surname = rng.choice(SURNAMES)
            given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            phone = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)] + f"{(i * PHONE_MULT + 12345) % PHONE_SPACE:08d}"
            email = f"{rng.choice(PINYIN)}.{i}@{rng.choice(DOMAINS)}" if rng.random() < 0.85 else ""
            company = rng.choice(companies) if rng.random() < 0.7 else ""
            city = rng.choice(CITIES)
            r = rng.random()
            tags = ";".join(rng.sample(TAGS, 0 if r < 0.4 else 1 if r < 0.8 else 2))
            w.writerow([surname + given, phone, email, company, city, tags])


if __name__ == "__main__":
    main()
