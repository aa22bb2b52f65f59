#!/usr/bin/env python3
"""The speed issue's native comparison: `kpi-lens report` (two threads) against native
DuckDB (the Python package, all cores) on the same generated orders files, wall time of
the whole command. DuckDB runs the issue's KPIs (the same SQL as the browser benchmark's
DuckDB-WASM); KPI Lens computes its whole catalogue with breakdowns.

The contenders take turns, one run each per round (5 rounds unless `--runs=N`): this
machine kind has slow spells of a minute or more (up to 1.6x), and contenders timed one
after the other would each get a different share of them. Printed: the median, the fastest
run, and the median over rounds of each round's time over KPI Lens's in the same round.

    cargo build --release -p kpi-cli && python3 bench/native.py [--rows=1000000,5000000] [--runs=5]
"""
import json
import os
import statistics
import subprocess
import sys
import time

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "kpi-lens")

SQL = [
    """CREATE OR REPLACE TABLE o AS SELECT order_date, customer_id, salesperson, channel,
         CAST(replace(CAST(amount AS VARCHAR), ',', '') AS DECIMAL(18,2)) AS amount
       FROM read_csv('{file}', header = true, types = {{'amount': 'VARCHAR', 'order_date': 'DATE'}})
       WHERE status = 'completed'""",
    "SELECT sum(amount)::DOUBLE, count(*), (sum(amount) / count(*))::DOUBLE, count(DISTINCT customer_id) FROM o",
    "SELECT (count(*) FILTER (WHERE n > 1))::DOUBLE / count(*) FROM (SELECT customer_id, count(*) n FROM o GROUP BY 1)",
    "SELECT date_trunc('month', order_date), sum(amount) FROM o GROUP BY 1",
    "SELECT salesperson, sum(amount) FROM o GROUP BY 1",
    "SELECT channel, sum(amount) FROM o GROUP BY 1",
    """SELECT count(DISTINCT customer_id) FROM o
       WHERE date_trunc('month', order_date) = (SELECT max(date_trunc('month', order_date)) FROM o)""",
]


def duck(file):
    t0 = time.perf_counter()
    con = duckdb.connect()
    revenue = None
    for i, q in enumerate(SQL):
        rows = con.execute(q.format(file=file)).fetchall()
        if i == 1:
            revenue = rows[0][0]
    con.close()
    return time.perf_counter() - t0, revenue


def kpi_lens(file, *extra):
    t0 = time.perf_counter()
    out = subprocess.run([CLI, "report", file, "--format", "json", *extra], check=True,
                         capture_output=True).stdout
    took = time.perf_counter() - t0
    revenue = next(k["value"] for k in json.loads(out)["kpis"] if k["id"] == "revenue")
    return took, revenue


def main():
    sizes = [1_000_000, 5_000_000]
    rounds = 5
    for a in sys.argv[1:]:
        if a.startswith("--rows="):
            sizes = [int(x) for x in a[7:].split(",")]
        if a.startswith("--runs="):
            rounds = int(a[7:])
    print(f"{os.cpu_count()} cores, DuckDB {duckdb.__version__}, {rounds} rounds, wall time")
    print("| contender | rows | MB | seconds, median | fastest | vs KPI Lens, same round (median) | revenue equal |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for rows in sizes:
        file = os.path.join(ROOT, "target", "bench", f"orders_{rows}.csv")
        if not os.path.exists(file):
            os.makedirs(os.path.dirname(file), exist_ok=True)
            subprocess.run([CLI, "gen", "--rows", str(rows), "--out", file], check=True)
        mb = os.path.getsize(file) / 1e6
        runs = {
            "KPI Lens CLI (two threads)": lambda: kpi_lens(file),
            "KPI Lens CLI --one-pass": lambda: kpi_lens(file, "--one-pass"),
            "KPI Lens CLI, no breakdowns": lambda: kpi_lens(file, "--no-breakdowns"),
            "DuckDB (native, Python)": lambda: duck(file),
        }
        times = {name: [] for name in runs}
        revenues = {}
        for _ in range(rounds):
            for name, run in runs.items():
                t, revenues[name] = run()
                times[name].append(t)
        ours = times["KPI Lens CLI (two threads)"]
        want = revenues["KPI Lens CLI (two threads)"]
        for name, ts in times.items():
            same = "yes" if abs(revenues[name] - want) < 0.005 else f"NO ({revenues[name]})"
            paired = statistics.median(t / o for t, o in zip(ts, ours))
            print(f"| {name} | {rows:,} | {mb:.1f} | {statistics.median(ts):.2f} | {min(ts):.2f} "
                  f"| {paired:.2f}x | {same} |")
        print(f"KPI Lens CLI (two threads), every round: {' '.join(f'{t:.2f}' for t in ours)} s")


if __name__ == "__main__":
    main()
