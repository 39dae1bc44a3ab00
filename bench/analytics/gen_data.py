"""Synthetic data for the analytics benchmarks (seeded, numpy only).

python gen_data.py OUTDIR  writes:
  rfm_10m.csv        10,000,000 transactions of 1,000,000 customers over 2 years
  bgnbd_1m.csv       transactions of 1,000,000 customers simulated from a BG/NBD process (days)
  rfm_1m.csv         1,000,000 transactions of 100,000 customers (k-means, agreement checks)
  baskets_20k.csv    20,000 baskets over 120 items with planted co-purchase structure
"""
import os
import sys

import numpy as np

START = np.datetime64("2022-01-01")


def write_transactions(path, cust, day, amount):
    dates = (START + day.astype("timedelta64[D]")).astype(str)
    ids = np.char.add("c", cust.astype(str))
    amt = np.char.mod("%.2f", amount)
    with open(path, "w") as f:
        f.write("customer_id,date,amount\n")
        chunk = 1_000_000
        for s in range(0, len(cust), chunk):
            rows = np.char.add(np.char.add(np.char.add(np.char.add(ids[s:s + chunk], ","), dates[s:s + chunk]), ","), amt[s:s + chunk])
            f.write("\n".join(rows.tolist()))
            f.write("\n")


def uniform_transactions(path, n_tx, n_cust, seed):
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, n_cust, n_tx)
    # customer-specific activity window and spend level
    first = rng.integers(0, 600, n_cust)
    day = np.minimum(first[cust] + rng.integers(0, 130, n_tx), 729)
    level = rng.lognormal(3.0, 0.6, n_cust)
    amount = np.round(level[cust] * rng.lognormal(0.0, 0.4, n_tx), 2)
    write_transactions(path, cust, day, amount)


def bgnbd_transactions(path, n_cust, seed, r=0.25, alpha=6.0, a=0.8, b=2.5, horizon=365):
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n_cust)
    p = rng.beta(a, b, n_cust)
    birth = rng.integers(0, horizon - 30, n_cust)
    T = horizon - birth
    custs = [np.arange(n_cust)]
    days = [birth]
    t = np.zeros(n_cust)
    active = np.ones(n_cust, dtype=bool)
    while active.any():
        idx = np.nonzero(active)[0]
        t[idx] += rng.exponential(1 / np.maximum(lam[idx], 1e-12))
        ok = t[idx] < T[idx]
        buy = idx[ok]
        custs.append(buy)
        days.append(birth[buy] + np.floor(t[buy]).astype(int))
        died = rng.random(len(buy)) < p[buy]
        active[idx[~ok]] = False
        active[buy[died]] = False
    cust = np.concatenate(custs)
    day = np.concatenate(days)
    amount = np.round(rng.gamma(6.0, 5.0, len(cust)), 2)
    write_transactions(path, cust, day, amount)


def baskets(path, n_baskets, n_items, seed):
    rng = np.random.default_rng(seed)
    pop = rng.zipf(1.6, n_items * 10) % n_items
    lines = ["basket_id,item"]
    groups = [rng.choice(n_items, 4, replace=False) for _ in range(10)]
    for bid in range(n_baskets):
        size = 1 + rng.poisson(3)
        items = set(pop[rng.integers(0, len(pop), size)].tolist())
        if rng.random() < 0.3:
            g = groups[rng.integers(0, len(groups))]
            items.update(g[rng.random(len(g)) < 0.7].tolist())
        for it in sorted(items):
            lines.append(f"b{bid},item{it:03d}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    jobs = {
        "rfm_1m.csv": lambda p: uniform_transactions(p, 1_000_000, 100_000, 1),
        "baskets_20k.csv": lambda p: baskets(p, 20_000, 120, 3),
        "bgnbd_1m.csv": lambda p: bgnbd_transactions(p, 1_000_000, 2),
        "rfm_10m.csv": lambda p: uniform_transactions(p, 10_000_000, 1_000_000, 4),
    }
    for name, job in jobs.items():
        path = os.path.join(out, name)
        if not os.path.exists(path):
            print(f"generating {path}", file=sys.stderr)
            job(path)
