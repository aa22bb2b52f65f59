#!/usr/bin/env python3
"""The public CDNOW sample (CDNOW_master.txt, shipped in the `Lifetimes` wheel on PyPI):
kpi-lens's revenue, orders, customers, AOV, repeat rate and quarterly churn against values
computed independently here (plain Python over the original text, and DuckDB).

CDNOW_master.txt is whitespace-aligned with one row per purchase and no order id: it is
written out as CSV with the row number as order id, then given to `kpi-lens report`.
Usage: python3 tests/crosscheck/cdnow_check.py path/to/kpi-lens
"""
import collections
import datetime
import glob
import json
import math
import os
import subprocess
import sys
import zipfile

cli = sys.argv[1] if len(sys.argv) > 1 else "target/debug/kpi-lens"
cache = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "cdnow")
os.makedirs(cache, exist_ok=True)
wheels = glob.glob(os.path.join(cache, "Lifetimes-0.11.3-*.whl"))
if not wheels:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "lifetimes==0.11.3",
                    "-d", cache], check=True)
    wheels = glob.glob(os.path.join(cache, "Lifetimes-0.11.3-*.whl"))
text = zipfile.ZipFile(wheels[0]).read("lifetimes/datasets/CDNOW_master.txt").decode()

rows = []
for line in text.splitlines()[1:]:
    if line.strip():
        cust, date, _cds, dollars = line.split()
        rows.append((cust, datetime.date(int(date[:4]), int(date[4:6]), int(date[6:])), dollars))
csv_path = os.path.join(cache, "cdnow_orders.csv")
with open(csv_path, "w") as f:
    f.write("order_id,customer_id,order_date,amount\n")
    for i, (cust, day, dollars) in enumerate(rows, 1):
        f.write(f"T{i},{cust},{day.isoformat()},{dollars}\n")

report = json.loads(subprocess.run([cli, "report", csv_path, "--period", "quarter"], check=True,
                                   capture_output=True, text=True).stdout)
got = {k["id"]: k for k in report["kpis"]}

# Independent: integer cents, counted with plain Python.
cents = [round(float(d) * 100) for _, _, d in rows]
orders_per_customer = collections.Counter(c for c, _, _ in rows)
expected = {
    "revenue": sum(cents) / 100,
    "orders": len(rows),
    "customers": len(orders_per_customer),
    "aov": sum(cents) / 100 / len(rows),
    "repeat_customer_rate": sum(1 for n in orders_per_customer.values() if n >= 2) / len(orders_per_customer),
}
# Quarterly churn: customers active in Q-1 with no purchase in Q / active in Q-1.
quarter = lambda d: (d.year, (d.month - 1) // 3)
active = collections.defaultdict(set)
for c, d, _ in rows:
    active[quarter(d)].add(c)
quarters = sorted(active)
churn = [None] + [1 - len(active[q] & active[p]) / len(active[p]) for p, q in zip(quarters, quarters[1:])]

passed = failed = 0
def check(name, a, b):
    global passed, failed
    ok = a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    print(f"{'ok  ' if ok else 'FAIL'} {name:28} kpi-lens={a!r:<22} independent={b!r}")
    passed += ok
    failed += not ok

for kpi_id, want in expected.items():
    check(kpi_id, got[kpi_id]["value"], want)
series = [p["value"] for p in got["churn_rate"]["series"]]
labels = [p["period"] for p in got["churn_rate"]["series"]]
ok = labels == [f"{y}-Q{q + 1}" for y, q in quarters] and len(series) == len(churn)
print(f"{'ok  ' if ok else 'FAIL'} quarters {labels}")
passed += ok
failed += not ok
for label, a, b in zip(labels, series, churn):
    if b is None:
        ok = a is None
        passed += ok
        failed += not ok
    else:
        check(f"churn_rate {label}", a, b)
check("churn_rate (headline = last quarter)", got["churn_rate"]["value"], churn[-1])
# BG/NBD and Gamma-Gamma on CDNOW_sample.txt (2,357 customers, 39-week calibration from
# 1997-01-01, weekly unit): the paper's printed values (Fader, Hardie & Lee 2005; Fader &
# Hardie's Gamma-Gamma note).
sample = zipfile.ZipFile(wheels[0]).read("lifetimes/datasets/CDNOW_sample.txt").decode()
sample_csv = os.path.join(cache, "cdnow_sample.csv")
with open(sample_csv, "w") as f:
    f.write("order_id,customer_id,order_date,amount\n")
    for i, line in enumerate(l for l in sample.splitlines() if l.strip()):
        _old, new, date, _cds, dollars = line.split()
        f.write(f"T{i + 1},{new},{date[:4]}-{date[4:6]}-{date[6:]},{dollars}\n")
fit = json.loads(subprocess.run([cli, "clv", sample_csv, "--calibration-end", "1997-09-30", "--unit", "week"],
                                check=True, capture_output=True, text=True).stdout)
for name, got, digits, want in [
    ("customers", fit["customers"], 0, 2357),
    ("repeat buyers", fit["repeat_buyers"], 0, 946),
    ("BG/NBD r", fit["bgnbd"]["r"], 3, 0.243),
    ("BG/NBD alpha", fit["bgnbd"]["alpha"], 3, 4.414),
    ("BG/NBD a", fit["bgnbd"]["a"], 3, 0.793),
    ("BG/NBD b", fit["bgnbd"]["b"], 3, 2.426),
    ("BG/NBD log-likelihood", fit["bgnbd"]["log_likelihood"], 1, -9582.4),
    ("Gamma-Gamma p", fit["gamma_gamma"]["p"], 2, 6.25),
    ("Gamma-Gamma q", fit["gamma_gamma"]["q"], 2, 3.74),
    ("Gamma-Gamma gamma", fit["gamma_gamma"]["gamma"], 2, 15.44),
]:
    ok = round(got, digits) == want
    print(f"{'ok  ' if ok else 'FAIL'} {name:28} kpi-lens={got!r:<22} paper={want}")
    passed += ok
    failed += not ok
# Predictions, recomputed here with mpmath's hypergeometric function from the fitted
# parameters (FHL 2005 equations 9 and 10) and the raw sample: the tracking plot's actual
# and predicted cumulative repeat purchases at the end of the holdout, and the top
# customer's P(alive) and expected purchases over the 52-week horizon.
import mpmath
a = fit["analysis"]
r_, al, a_, b_ = (a["bgnbd"][k] for k in ("r", "alpha", "a", "b"))
def e_new(t):
    return float((a_ + b_ - 1) / (a_ - 1) * (1 - (al / (al + t)) ** r_ * mpmath.hyp2f1(r_, b_, a_ + b_ - 1, t / (al + t)))) if t > 0 else 0.0
def e_cond(x, tx, T, t):
    num = (a_ + b_ + x - 1) / (a_ - 1) * (1 - ((al + T) / (al + T + t)) ** (r_ + x) * mpmath.hyp2f1(r_ + x, b_ + x, a_ + b_ + x - 1, t / (al + T + t)))
    den = 1 + (x > 0) * (a_ / (b_ + x - 1)) * ((al + T) / (al + tx)) ** (r_ + x)
    return float(num / den)
by_customer = collections.defaultdict(set)
for line in (l for l in sample.splitlines() if l.strip()):
    _old, new, date, _cds, _dollars = line.split()
    by_customer[new].add(datetime.date(int(date[:4]), int(date[4:6]), int(date[6:])))
end_day = datetime.date.fromisoformat(a["tracking"][-1]["end"])
firsts = collections.Counter(min(d) for d in by_customer.values())
predicted = sum(n * e_new((end_day - f).days / 7) for f, n in firsts.items())
actual = sum(sum(1 for d in days if min(days) < d <= end_day) for days in by_customer.values())
top = a["top_customers"][0]
x, tx, T = top["frequency"], top["recency"], top["t"]
p_alive = 1 / (1 + (x > 0) * (a_ / (b_ + x - 1)) * ((al + T) / (al + tx)) ** (r_ + x))
for name, got, want in [
    ("tracking: actual repeat purchases by 1998-06-30", a["tracking"][-1]["actual"], actual),
    ("tracking: predicted repeat purchases (eq. 9)", a["tracking"][-1]["predicted"], predicted),
    (f"customer {top['customer']}: expected purchases in 52 weeks (eq. 10)", top["expected_purchases"], e_cond(x, tx, T, 52)),
    (f"customer {top['customer']}: P(alive)", top["p_alive"], p_alive),
]:
    ok = math.isclose(got, want, rel_tol=1e-9)
    print(f"{'ok  ' if ok else 'FAIL'} {name:60} kpi-lens={got!r:<22} mpmath={want!r}")
    passed += ok
    failed += not ok
print(f"cdnow cross-check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
