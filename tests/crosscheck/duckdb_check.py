#!/usr/bin/env python3
"""Second, independent implementation of the KPI catalogue in SQL (DuckDB), run on the
generated two-year multi-file demo dataset and compared with `kpi-lens report`.

The SQL follows the definitions in docs/kpis.md, not the Rust code. Usage:
    python3 tests/crosscheck/duckdb_check.py path/to/kpi-lens [--bench-set=ORDERS]

With --bench-set, the same checks run on a benchmark export set instead (`kpi-lens gen
--kind all`): bigger, every file in date order as exports list them, and amounts written
US-style in quotes ("1,234.50") on some rows.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import duckdb

cli = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "target/debug/kpi-lens"
bench = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--bench-set=")), None)
prefix = "bench" if bench else "demo"
work = tempfile.mkdtemp(prefix="kpi-crosscheck-")
if bench:
    subprocess.run([cli, "gen", "--kind", "all", "--rows", bench, "--out", work], check=True, capture_output=True)
else:
    subprocess.run([cli, "demo", "--out", work], check=True, capture_output=True)
files = sorted(f for f in os.listdir(work) if f.endswith(".csv"))
files.sort(key=lambda f: f != f"{prefix}_orders.csv")
report = json.loads(subprocess.run([cli, "report", *[os.path.join(work, f) for f in files]],
                                   check=True, capture_output=True, text=True).stdout)
rust = {k["id"]: k for k in report["kpis"]}

db = duckdb.connect()
def load(name, table, types=None):
    path = os.path.join(work, f"{prefix}_{name}.csv").replace("'", "''")
    opts = f", types={types}" if types else ""
    db.execute(f"create table {table} as select * from read_csv('{path}', header=true{opts})")

# Amounts as text first: the bench set writes some as "1,234.50".
load("orders", "o", "{'amount': 'VARCHAR', 'margin': 'DECIMAL(18,2)', 'order_date': 'DATE', 'order_id': 'VARCHAR'}")
db.execute("create or replace table o as select * replace (cast(replace(amount, ',', '') as DECIMAL(18,2)) as amount) from o")
load("customers", "c")
load("users", "u", "{'created': 'DATE', 'last active': 'DATE'}")
load("traffic", "t")
load("carts", "k", "{'order_id': 'VARCHAR', 'created': 'DATE'}")
load("quotes", "q", "{'accepted date': 'DATE', 'requested date': 'DATE', 'value': 'DECIMAL(18,2)'}")
load("opportunities", "p", "{'closed': 'DATE', 'created': 'DATE', 'value': 'DECIMAL(18,2)'}")
load("spend", "s", "{'amount': 'DECIMAL(18,2)', 'month': 'DATE'}")
load("support", "h", "{'date': 'DATE'}")
load("surveys", "v", "{'date': 'DATE', 'score': 'DOUBLE'}")
load("inventory", "i", "{'inventory value': 'DECIMAL(18,2)', 'date': 'DATE'}")
load("returns", "r", "{'date': 'DATE'}")

FROM, TO = "DATE '2024-01-01'", "DATE '2025-12-31'"
# Completed orders at their net value: refunds in the returns file are subtracted (capped at
# the order's amount). In the demo only returned-status orders have returns, so this is a no-op
# there, but it is the definition.
db.execute(f"""create view oc as select o.* replace (
        o.amount - least(coalesce((select sum(abs(r.amount)) from r where r.order_id = o.order_id), 0), o.amount) as amount)
    from o where status = 'completed' and order_date between {FROM} and {TO}""")
db.execute("""create view firsts as
    select customer_id, min(order_date) first from o where status = 'completed' group by 1""")
db.execute(f"create view newc as select customer_id from firsts where first between {FROM} and {TO}")

def one(sql):
    return db.execute(sql).fetchone()[0]

sql = {}
expected = {}
expected["revenue"] = float(one("select sum(amount) from oc"))
expected["orders"] = one("select count(*) from oc")
expected["customers"] = one("select count(distinct customer_id) from oc")
expected["aov"] = float(one("select sum(amount) / count(*) from oc"))
expected["repeat_customer_rate"] = one("""select count(*) filter (where n >= 2) / count(*)
    from (select customer_id, count(*) n from oc group by 1)""")
# Monthly activity and churn.
db.execute("""create view act as select distinct customer_id, date_trunc('month', order_date) m from oc""")
db.execute("""create view online_act as select distinct customer_id, date_trunc('month', order_date) m
    from oc where channel in ('web', 'EDI')""")
def churn_series(view):
    rows = db.execute(f"""
        with months as (select distinct m from {view}),
        pairs as (
            select cur.m,
                   (select count(*) from {view} a where a.m = cur.m - interval 1 month) prev_n,
                   (select count(*) from {view} a where a.m = cur.m - interval 1 month
                      and exists (select 1 from {view} b where b.m = cur.m and b.customer_id = a.customer_id)) kept
            from months cur)
        select m, prev_n, kept from pairs order by m""").fetchall()
    return [(m, None if prev == 0 else 1 - kept / prev) for m, prev, kept in rows]
churn = churn_series("act")
expected["churn_rate"] = churn[-1][1]
expected["retention_rate"] = 1 - churn[-1][1]
online = churn_series("online_act")
expected["online_retention_rate"] = 1 - online[-1][1]
expected["active_customers"] = one("select count(*) from act where m = DATE '2025-12-01'")
expected["new_customers"] = one("select count(*) from newc")
expected["online_revenue_share"] = float(one("select sum(amount) filter (where channel in ('web','EDI')) / sum(amount) from oc"))
expected["channel_mix"] = float(one("select max(x) from (select sum(amount) / (select sum(amount) from oc) x from oc group by channel)"))
db.execute(f"create view oall as select * from o where status in ('completed','returned') and order_date between {FROM} and {TO}")
expected["return_rate"] = one("""select count(*) filter (where status = 'returned' or order_id in (select order_id from r)) / count(*) from oall""")
expected["wrong_delivery_rate"] = one(f"""select (select count(*) from r where reason in ('wrong delivery', 'wrong quantity')
    and date between {FROM} and {TO}) / (select count(*) from oall)""")
expected["conversion_rate"] = one(f"select sum(orders) / sum(sessions) from t where date between {FROM} and {TO}")
expected["cart_abandonment_rate"] = one(f"""select count(*) filter (where not (status = 'converted' or order_id is not null)) / count(*)
    from k where created between {FROM} and {TO}""")
expected["quote_acceptance_rate"] = one(f"""select count(*) filter (where status = 'accepted' or "accepted date" is not null) / count(*)
    from q where "requested date" between {FROM} and {TO}""")
mkt = float(one(f"select sum(amount) from s where category = 'marketing' and month between {FROM} and {TO}"))
sales = float(one(f"select sum(amount) from s where category = 'sales' and month between {FROM} and {TO}"))
new = expected["new_customers"]
expected["cac"] = (mkt + sales) / new
expected["marketing_cac_share"] = mkt / (mkt + sales)
expected["marketing_originated_share"] = one("""select count(*) filter (where c."acquisition source" = 'marketing') / count(*)
    from newc join c using (customer_id)""")
db.execute(f"create view closed as select * from p where closed between {FROM} and {TO} and outcome in ('won','lost')")
expected["win_rate"] = one("select count(*) filter (where outcome = 'won') / count(*) from closed")
expected["lead_conversion_rate"] = one(f"""select count(*) filter (where outcome = 'won') / count(*)
    from p where created between {FROM} and {TO} and outcome in ('won', 'lost')""")
expected["avg_deal_size"] = float(one("select avg(value) from closed where outcome = 'won'"))
expected["sales_cycle_days"] = one("select median(closed - created) from closed where outcome = 'won'")
expected["sales_cycle_days_mean"] = one("select avg(closed - created) from closed where outcome = 'won'")
open_n = one(f"select count(*) from p where created <= {TO} and (closed is null or closed > {TO})")
expected["sales_velocity"] = open_n * expected["avg_deal_size"] * expected["win_rate"] / expected["sales_cycle_days_mean"]
expected["sales_velocity_monthly"] = expected["sales_velocity"] * 365.25 / 12
expected["nps"] = one(f"""select 100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*)
    from v where type = 'nps' and score between 0 and 10 and date between {FROM} and {TO}""")
expected["csat"] = one(f"""select count(*) filter (where score >= 4) / count(*)
    from v where type = 'csat' and score between 1 and 5 and date between {FROM} and {TO}""")
contacts = one(f"select count(*) from h where date between {FROM} and {TO}")
expected["support_contacts"] = contacts
expected["calls"] = one(f"select count(*) from h where type = 'call' and date between {FROM} and {TO}")
expected["emails"] = one(f"select count(*) from h where type = 'email' and date between {FROM} and {TO}")
expected["contacts_per_order"] = contacts / expected["orders"]
expected["contacts_per_customer"] = contacts / expected["customers"]
cogs = float(one("select sum(amount - margin) from oc"))
avg_inv = float(one(f"""select avg(v) from (select date, sum("inventory value") v from i
    where date between {FROM} and {TO} group by 1)"""))
expected["inventory_turnover"] = cogs / avg_inv
expected["days_of_inventory"] = 731 / expected["inventory_turnover"]
expected["users"] = one(f"select count(*) from u where created is null or created <= {TO}")
expected["active_users"] = one(f"""select count(*) from u where "last active" between {FROM} and {TO}""")
expected["usage_rate"] = expected["active_users"] / expected["users"]
# CLV: seed 003's formula with lifespan = 1 / annual churn (capped at 10 years).
monthly = [x for _, x in churn if x is not None]
annual = 1 - (1 - sum(monthly) / len(monthly)) ** 12
lifespan = 1 / annual if annual > 0.1 else 10.0
years = 731 / 365.25
freq = expected["orders"] / expected["customers"] / years
expected["clv"] = expected["aov"] * freq * lifespan
expected["clv_margin"] = float(one("select avg(margin) from oc")) * freq * lifespan
expected["ltv_cac_ratio"] = expected["clv"] / expected["cac"]
# Historical CLV: revenue in the first 12 / 24 months from the first order's month, over the
# cohorts whose month 11 / 23 is within the data (last month 2025-12).
for months in (12, 24):
    expected[f"clv_historical_{months}m"] = float(one(f"""
        with f as (select customer_id, date_trunc('month', min(order_date)) cm from o
                   where status = 'completed' group by 1)
        select sum(amount) / (select count(*) from f where cm <= DATE '2025-12-01' - interval {months - 1} month)
        from oc join f using (customer_id)
        where cm <= DATE '2025-12-01' - interval {months - 1} month
          and date_trunc('month', order_date) < cm + interval {months} month"""))

passed = failed = 0
for kpi_id, want in expected.items():
    got = rust.get(kpi_id, {}).get("value")
    ok = got is not None and want is not None and math.isclose(got, float(want), rel_tol=1e-9, abs_tol=1e-9)
    print(f"{'ok  ' if ok else 'FAIL'} {kpi_id:28} kpi-lens={got!r:<24} duckdb={float(want)!r}")
    passed += ok
    failed += not ok
missing = sorted(set(rust) - set(expected))
print(f"KPIs not cross-checked here: {', '.join(missing) or 'none'}")
# Series: monthly revenue and churn must match too.
series = {p["period"]: p["value"] for p in rust["revenue"]["series"]}
for m, v in db.execute("select strftime(order_date, '%Y-%m'), sum(amount) from oc group by 1").fetchall():
    ok = math.isclose(series.get(m) or 0, float(v), rel_tol=1e-12)
    passed += ok
    failed += not ok
    if not ok:
        print(f"FAIL revenue series {m}: {series.get(m)} vs {v}")
rust_churn = [p["value"] for p in rust["churn_rate"]["series"]]
sql_churn = [x for _, x in churn]
ok = len(rust_churn) == len(sql_churn) and all(
    (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12))
    for a, b in zip(rust_churn, sql_churn))
passed += ok
failed += not ok
print(f"{'ok  ' if ok else 'FAIL'} churn_rate series ({len(sql_churn)} months)")
# Cohort retention matrix: share of each first-order-month cohort ordering k months later.
cells = db.execute("""
    with f as (select customer_id, date_trunc('month', min(order_date)) cm from o
               where status = 'completed' group by 1),
    a as (select distinct customer_id, date_trunc('month', order_date) m from o where status = 'completed'),
    sz as (select cm, count(*) n from f group by 1)
    select strftime(f.cm, '%Y-%m'), datediff('month', f.cm, a.m), count(*) / any_value(sz.n)
    from a join f using (customer_id) join sz using (cm) group by 1, 2""").fetchall()
cohorts = {c["cohort"]: c["retention"] for c in report["cohorts"]}
bad = [(c, k, v) for c, k, v in cells if not math.isclose((cohorts.get(c) or [])[k] if k < len(cohorts.get(c) or []) else -1, v, rel_tol=1e-12)]
# Cells with no orders are 0 in kpi-lens and absent in SQL: count them too.
filled = {(c, k) for c, k, _ in cells}
zeros_ok = all(v == 0 for c, row in cohorts.items() for k, v in enumerate(row) if (c, k) not in filled)
ok = not bad and zeros_ok
passed += ok
failed += not ok
print(f"{'ok  ' if ok else 'FAIL'} cohort retention matrix ({len(cells)} non-empty cells){' ' + str(bad[:3]) if bad else ''}")
# RFM segments: quintiles by rank (ties share the lowest rank), the usual R x F grid.
segs = dict(db.execute("""
    with c as (select customer_id, max(order_date) last, count(*) f, sum(amount) m from oc group by 1),
    n as (select count(*) n from c),
    s as (select customer_id, m,
            1 + floor(5 * (rank() over (order by (DATE '2025-12-31' - last) desc) - 1) / (select n from n)) r,
            1 + floor(5 * (rank() over (order by f) - 1) / (select n from n)) fs
          from c)
    select case
        when r >= 4 and fs >= 4 then 'Champions'
        when r = 3 and fs >= 4 then 'Loyal'
        when r >= 4 and fs between 2 and 3 then 'Potential loyalist'
        when r >= 4 and fs = 1 then 'New customers'
        when r <= 2 and fs >= 3 then 'At risk'
        when r = 1 and fs = 1 then 'Lost'
        when r <= 2 and fs <= 2 then 'Hibernating'
        else 'Need attention' end seg, count(*)
    from s group by 1""").fetchall())
for seg in report["rfm_segments"]:
    ok = seg["customers"] == segs.get(seg["segment"], 0)
    passed += ok
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} RFM segment {seg['segment']:20} kpi-lens={seg['customers']} duckdb={segs.get(seg['segment'], 0)}")
# Breakdowns: win rate by salesperson (opportunities' own column), NPS by region (answers
# follow their customer's region in the customers file). A dimension gets at most 12 slices
# (its values with the largest revenue); a slice without data has no value.
order_columns = {r[0] for r in db.execute("describe o").fetchall()}
for kpi_id, dim, sql_text in [
    ("win_rate", "salesperson", """select salesperson, count(*) filter (where outcome = 'won') / count(*) from closed group by 1"""),
    ("nps", "region", f"""select c.region, 100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*)
        from v join c using (customer_id) where type = 'nps' and score between 0 and 10
        and date between {FROM} and {TO} group by 1"""),
]:
    if dim not in order_columns:
        print(f"     {kpi_id} by {dim}: not applicable, the orders file has no {dim} column")
        continue
    want = dict(db.execute(sql_text).fetchall())
    got_slices = {s["key"]: s["value"] for s in rust[kpi_id]["breakdowns"].get(dim, [])}
    valued = {k: v for k, v in got_slices.items() if v is not None}
    values_ok = all(k in want and math.isclose(v, float(want[k]), rel_tol=1e-12) for k, v in valued.items()) \
        and all(k not in want for k, v in got_slices.items() if v is None)
    keys_ok = set(want) == set(valued) if len(got_slices) < 12 else len(got_slices) == 12
    ok = values_ok and keys_ok
    passed += ok
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {kpi_id} by {dim} ({len(got_slices)} slices){'' if ok else f' {got_slices} vs {want}'}")
# Funnel counts, the NPS answer distribution and the top customers by revenue.
def verdict(name, ok, detail=""):
    global passed, failed
    passed += ok
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ' ' + detail}")
funnels = {f["id"]: [(st["stage"], st["count"]) for st in f["stages"]] for f in report["funnels"]}
web = db.execute(f"""select sum(sessions), sum("add to cart"), sum(checkouts), sum(orders) from t
    where date between {FROM} and {TO}""").fetchone()
want = [("Sessions", web[0]), ("Added to cart", web[1]), ("Checkouts", web[2]), ("Orders", web[3])]
verdict("web funnel", funnels.get("web") == [(a, float(b)) for a, b in want], f"{funnels.get('web')} vs {want}")
quotes = db.execute(f"""select count(*), count(*) filter (where status = 'accepted' or "accepted date" is not null)
    from q where "requested date" between {FROM} and {TO}""").fetchone()
want = [("Quotes requested", float(quotes[0])), ("Quotes accepted", float(quotes[1]))]
verdict("quote funnel", funnels.get("quotes") == want, f"{funnels.get('quotes')} vs {want}")
dist = dict(db.execute(f"""select cast(score as int), count(*) from v where type = 'nps' and score between 0 and 10
    and score = floor(score) and date between {FROM} and {TO} group by 1""").fetchall())
got = {int(sl["key"]): sl["value"] for sl in rust["nps"]["breakdowns"]["score"]}
verdict("NPS answers per score", got == {k: float(dist.get(k, 0)) for k in range(11)}, f"{got} vs {dist}")
top = db.execute("""select customer_id, sum(amount) from oc group by 1 order by 2 desc, 1 limit 50""").fetchall()
got = [(c["customer"], c["monetary"]) for c in report["top_customers"]]
verdict("top 50 customers by revenue", len(got) == 50 and all(a == c and math.isclose(b, float(d), rel_tol=1e-12)
        for (a, b), (c, d) in zip(got, top)), f"{got[:3]} vs {top[:3]}")
print(f"duckdb cross-check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
