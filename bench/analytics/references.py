"""Python reference implementations timed for the analytics benchmarks.

Each sub-command prints one JSON line with its timings and results:
  lifetimes CSV UNIT CALEND   BG/NBD + Gamma-Gamma fit with lifetimes (summary building timed apart)
  rfm CSV                     pandas RFM with the same conventions as `guanxi analyze rfm`
  kmeans CSV K SEED INITS     scikit-learn KMeans on the same features as `guanxi analyze kmeans`
  rules CSV MINSUP MINCONF    mlxtend fpgrowth + association_rules
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def load(path):
    d = pd.read_csv(path, dtype={"customer_id": str, "date": str})
    d["date"] = pd.to_datetime(d["date"].str.replace("-", ""), format="%Y%m%d")
    return d


def cmd_lifetimes(path, unit, calend):
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    d = load(path)
    t0 = time.perf_counter()
    s = summary_data_from_transaction_data(
        d, "customer_id", "date", monetary_value_col="amount",
        observation_period_end=calend, freq="W" if unit == "weeks" else "D", freq_multiplier=1)
    if unit == "weeks":
        # lifetimes' "W" freq counts whole weeks; recompute in fractional weeks from days like Hardie.
        s = summary_data_from_transaction_data(
            d, "customer_id", "date", monetary_value_col="amount", observation_period_end=calend, freq="D")
        s[["recency", "T"]] = s[["recency", "T"]] / 7.0
    s = s[s["T"] >= 0]
    t1 = time.perf_counter()
    bg = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    t2 = time.perf_counter()
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    gg = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    t3 = time.perf_counter()
    print(json.dumps({
        "customers": int(len(s)), "summary_s": t1 - t0, "bgnbd_fit_s": t2 - t1, "gg_fit_s": t3 - t2,
        "bgnbd": {k: float(v) for k, v in bg.params_.items()},
        "gamma_gamma": {k: float(v) for k, v in gg.params_.items()},
    }))


def cmd_rfm(path):
    d = load(path)
    t0 = time.perf_counter()
    asof = d["date"].max() + pd.Timedelta(days=1)
    daily = d.groupby(["customer_id", "date"], sort=False)["amount"].sum().reset_index()
    c = daily.groupby("customer_id").agg(last=("date", "max"), F=("date", "size"), M=("amount", "sum"))
    c["R"] = (asof - c["last"]).dt.days
    n = len(c)

    def score(v):
        return (np.floor(5 * (v.rank(method="min") - 1) / n) + 1).astype(int)

    c["r"] = score(-c["R"])
    c["f"] = score(c["F"])
    c["m"] = score(c["M"])
    m = np.sort(c["M"].to_numpy())[::-1]
    top = m[: int(np.ceil(0.2 * n))].sum() / m.sum()
    t1 = time.perf_counter()
    print(json.dumps({"customers": n, "rfm_s": t1 - t0, "top20_revenue_share": float(top),
                      "score_sums": [int(c["r"].sum()), int(c["f"].sum()), int(c["m"].sum())]}))


def cmd_kmeans(path, k, seed, inits):
    from sklearn.cluster import KMeans

    d = load(path)
    daily = d.groupby(["customer_id", "date"])["amount"].sum().reset_index()
    asof = daily["date"].max() + pd.Timedelta(days=1)
    c = daily.groupby("customer_id").agg(last=("date", "max"), F=("date", "size"), M=("amount", "sum"))
    X = np.column_stack([np.log1p((asof - c["last"]).dt.days), np.log1p(c["F"]), np.log1p(c["M"])])
    X = (X - X.mean(0)) / X.std(0)
    t0 = time.perf_counter()
    km = KMeans(n_clusters=int(k), n_init=int(inits), random_state=int(seed)).fit(X)
    t1 = time.perf_counter()
    print(json.dumps({"customers": len(X), "kmeans_fit_s": t1 - t0, "inertia": float(km.inertia_)}))


def cmd_rules(path, minsup, minconf):
    from mlxtend.frequent_patterns import association_rules, fpgrowth
    from mlxtend.preprocessing import TransactionEncoder

    df = pd.read_csv(path, dtype=str)
    baskets = df.groupby("basket_id", sort=False)["item"].apply(list).tolist()
    t0 = time.perf_counter()
    te = TransactionEncoder()
    oh = pd.DataFrame(te.fit(baskets).transform(baskets), columns=te.columns_)
    fi = fpgrowth(oh, min_support=float(minsup), use_colnames=True)
    rules = association_rules(fi, num_itemsets=len(oh), metric="confidence", min_threshold=float(minconf))
    t1 = time.perf_counter()
    print(json.dumps({"baskets": len(baskets), "rules_s": t1 - t0, "itemsets": int(len(fi)), "rules": int(len(rules))}))


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"lifetimes": cmd_lifetimes, "rfm": cmd_rfm, "kmeans": cmd_kmeans, "rules": cmd_rules}[cmd](*args)
