"""The reports bench's DuckDB side: the same question as our report, from the same data, in a DuckDB file.

The file holds what the seller's data is before our pipeline touches it: every raw accrual line of the year
(date, component, Ozon type, SKU, amount, quantity), the ledger mapping (Ozon type → article), the catalogue
(SKU → offer_id), the cost history (offer_id, from, cost per unit), the own expenses and the tax rule of the shop's
legal entity. Each query resolves articles with the mapping, costs every sale and return at the price in force on
its own date (a join on the SKU within the price's days), adds own expenses and the tax (УСН «доходы», half-up per
month, on the month's realization report — sales net of returns as Ozon's monthly document states them, plus Ozon's
buyouts — where the bench stored one, else on the accrual lines' sales net of returns, as `domain/reports/taxes.py`) —
for Юнитка it also splits shop-level money, own expenses and the tax over the SKUs month by month by net revenue
with largest remainder, as `unit_economics.allocate` does. `check` compares the answer with our table (ОПиУ: net
profit per month; Юнитка: profit per SKU) to the kopeck, so the bench says whether the question was the same.
Timed like our side: p95 over the bench's samples, each query executed and fetched whole.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from bench.reports_data import cost_rows, opex_rows
from bench.reports_settlement import realization
from stpulse.adapters.sandbox.ozon.day_table import COMP_COMMISSION, COMP_SALE
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.ledger.articles import (
    ARTICLE_INDEX,
    BUYOUTS,
    COMMISSION,
    NON_PNL,
    OTHER,
    RETURNS,
    REVENUE,
    LedgerMapping,
)
from stpulse.domain.reports.table import Table

TAX_PERCENT = 6  # the bench's legal entity: ИП on УСН «доходы», the default 6 %
COGS, OPEX, TAX, SOLD, RETURNED = -1, -2, -3, -4, -5  # keys beside the article indices in the answers

_LINES = f"""l AS (
  SELECT l.day, date_trunc('month', l.day) AS m, l.sku, l.amount, abs(l.qty) AS q,
         CASE WHEN l.comp = {COMP_SALE} THEN CASE WHEN l.amount >= 0 THEN {REVENUE} ELSE {RETURNS} END
              WHEN l.comp = {COMP_COMMISSION} THEN {COMMISSION} ELSE coalesce(t.article, {OTHER}) END AS art
  FROM lines l LEFT JOIN type_articles t ON t.type_id = l.type_id),
price AS (  -- each SKU's cost per unit with the day its next price starts
  SELECT p.sku, c.from_day, coalesce(lead(c.from_day) OVER (PARTITION BY p.sku ORDER BY c.from_day),
                                     DATE '9999-12-31') AS to_day, c.cost
  FROM costs c JOIN products p ON p.offer_id = c.offer_id),
cost_of AS (
  SELECT s.m, s.sku, -sum(c.cost * CASE WHEN s.art = {RETURNS} THEN -s.q ELSE s.q END) AS cogs
  FROM l s JOIN price c ON c.sku = s.sku AND s.day >= c.from_day AND s.day < c.to_day
  WHERE s.art IN ({REVENUE}, {RETURNS}) GROUP BY ALL),
month_sales AS (
  SELECT m, sum(amount) AS sales, sum(CASE WHEN art = {BUYOUTS} THEN amount ELSE 0 END) AS buyouts FROM l
  WHERE art IN ({REVENUE}, {RETURNS}, {BUYOUTS}) GROUP BY m),
month_tax AS (  -- УСН «доходы»: the realization report's sales − returns (+ Ozon's buyouts) once it is published
  SELECT s.m, -((greatest(coalesce(r.sales + s.buyouts, s.sales), 0) * {TAX_PERCENT} + 50) // 100) AS tax
  FROM month_sales s LEFT JOIN realization r ON r.month = s.m)"""

PNL_SQL = f"""WITH {_LINES}
SELECT m, art, sum(amount) FROM l GROUP BY ALL
UNION ALL SELECT m, {COGS}, sum(cogs) FROM cost_of GROUP BY m
UNION ALL SELECT month, {OPEX}, -sum(amount) FROM opex GROUP BY month
UNION ALL SELECT m, {TAX}, tax FROM month_tax ORDER BY 1, 2"""

UNIT_SQL = f"""WITH {_LINES},
w AS (SELECT m, sku, greatest(sum(amount), 0) AS w FROM l
      WHERE sku <> 0 AND art IN ({REVENUE}, {RETURNS}, {BUYOUTS}) GROUP BY ALL),
wsum AS (SELECT m, sum(w) AS total FROM w GROUP BY m),
pool AS (SELECT m, art AS key, sum(amount) AS amount FROM l WHERE sku = 0 AND art <> {NON_PNL} GROUP BY ALL
         UNION ALL SELECT month, {OPEX}, -sum(amount) FROM opex GROUP BY month
         UNION ALL SELECT m, {TAX}, tax FROM month_tax),
parts AS (SELECT p.m, p.key, w.sku, p.amount, CAST(abs(p.amount) AS HUGEINT) * w.w // t.total AS base,
                 CAST(abs(p.amount) AS HUGEINT) * w.w % t.total AS rem
          FROM pool p JOIN wsum t USING (m) JOIN w USING (m) WHERE t.total > 0 AND w.w > 0 AND p.amount <> 0),
ranked AS (SELECT *, abs(amount) - sum(base) OVER (PARTITION BY m, key) AS lft,
                  row_number() OVER (PARTITION BY m, key ORDER BY rem DESC, sku) AS rk FROM parts)
SELECT sku, key, CAST(sum(sign(amount) * (base + CASE WHEN rk <= lft THEN 1 ELSE 0 END)) AS BIGINT) FROM ranked
GROUP BY ALL
UNION ALL SELECT sku, art, sum(amount) FROM l WHERE sku <> 0 GROUP BY ALL
UNION ALL SELECT sku, {COGS}, sum(cogs) FROM cost_of GROUP BY sku
UNION ALL SELECT sku, {SOLD}, sum(q) FROM l WHERE sku <> 0 AND art = {REVENUE} GROUP BY sku
UNION ALL SELECT sku, {RETURNED}, sum(q) FROM l WHERE sku <> 0 AND art = {RETURNS} GROUP BY sku"""


def _pnl_check(table: Table, rows: list[tuple]) -> str:  # type: ignore[type-arg]
    """Net profit per month (every P&L article, COGS, own expenses, tax) against our «Чистая прибыль»."""
    months = [c.code for c in table.columns]
    net = dict.fromkeys(months, 0)
    for m, key, amount in rows:
        if key != NON_PNL:
            net[m.strftime("%Y-%m")] += int(amount)
    ours = dict(zip(months, table.row("net_profit").values, strict=True))
    wrong = {m: (ours[m], net[m]) for m in months if ours[m] != net[m]}
    return "same to the kopeck" if not wrong else f"DIFFERENT in {len(wrong)} months, e.g. {next(iter(wrong.items()))}"


def _unit_check(table: Table, rows: list[tuple]) -> str:  # type: ignore[type-arg]
    """Profit per SKU (its own money, COGS and its share of shop-level money, own expenses and tax)."""
    profit: dict[int, int] = {}
    for sku, key, amount in rows:
        if key not in (NON_PNL, SOLD, RETURNED):
            profit[int(sku)] = profit.get(int(sku), 0) + int(amount)
    j = next(i for i, c in enumerate(table.columns) if c.code == "profit")
    ours = {int(r.code.split(":")[1]): r.values[j] for r in table.rows if r.code.count(":") == 1}
    wrong = {s: (v, profit.get(s, 0)) for s, v in ours.items() if v != profit.get(s, 0)}
    return (f"same to the kopeck ({len(ours)} SKUs)" if not wrong
            else f"DIFFERENT for {len(wrong)} of {len(ours)} SKUs, e.g. {next(iter(wrong.items()))}")


@dataclass(frozen=True)
class Question:
    sql: str
    check: Callable[[Table, list[tuple]], str]  # type: ignore[type-arg]


# report code → the same question in DuckDB; a registered report without one is printed as «no DuckDB equivalent»
QUESTIONS = {"pnl": Question(PNL_SQL, _pnl_check), "unit": Question(UNIT_SQL, _unit_check)}


def build_file(path: Path, lines: dict[str, np.ndarray], world: SellerWorld, first: dt.date, last: dt.date
               ) -> duckdb.DuckDBPyConnection:
    """The DuckDB file: the raw lines and the seller's own tables (the same rows the bench wrote to PostgreSQL)."""
    con = duckdb.connect(str(path))
    raw = {"day": lines["day"].astype(np.int32), "comp": lines["comp"].astype(np.int8),
           "type_id": lines["type_id"].astype(np.int32), "sku": lines["sku"], "amount": lines["amount"],
           "qty": lines["qty"]}
    con.register("raw", raw)
    con.execute("CREATE TABLE lines AS SELECT DATE '1970-01-01' + day AS day, comp, type_id, sku, amount, qty FROM raw")
    con.unregister("raw")
    mapping = LedgerMapping.default().articles
    con.execute("CREATE TABLE type_articles (type_id INTEGER, article SMALLINT)")
    con.executemany("INSERT INTO type_articles VALUES (?, ?)",
                    [(t, ARTICLE_INDEX[code]) for t, code in mapping.items() if t >= 0])
    cat = world.catalog
    con.execute("CREATE TABLE products (sku BIGINT, offer_id VARCHAR)")
    con.executemany("INSERT INTO products VALUES (?, ?)", [(int(cat.sku[i]), cat.offer_id(i)) for i in range(cat.n)])
    con.execute("CREATE TABLE costs (offer_id VARCHAR, from_day DATE, cost BIGINT)")
    con.executemany("INSERT INTO costs VALUES (?, ?, ?)", [(o, d, p + dl + pk + mk) for o, d, p, dl, pk, mk in cost_rows(world)])
    con.execute("CREATE TABLE opex (month DATE, article VARCHAR, amount BIGINT)")
    con.executemany("INSERT INTO opex VALUES (?, ?, ?)", [(m, a, v) for _, m, a, v in opex_rows(first, last)])
    con.execute("CREATE TABLE realization (month DATE, sales BIGINT)")  # each month's report, as the sync stores it
    con.executemany("INSERT INTO realization VALUES (?, ?)", [
        (m, sum(r.delivered_amount - r.returned_amount for r in rows))
        for m, rows in sorted(realization(lines, first, last).items())])
    con.execute("CHECKPOINT")
    return con


def duckdb_figures(con: duckdb.DuckDBPyConnection, tables: dict[str, Table], samples: int
                   ) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Per report with a DuckDB question: the times of `samples` runs, and whether the answer equals our table."""
    times: dict[str, list[float]] = {}
    verdicts: dict[str, str] = {}
    for code, question in QUESTIONS.items():
        if code not in tables:
            continue
        runs, rows = [], []
        for _ in range(samples):
            t0 = time.perf_counter()
            rows = con.execute(question.sql).fetchall()
            runs.append((time.perf_counter() - t0) * 1000)
        times[code], verdicts[code] = runs, question.check(tables[code], rows)
    return times, verdicts

