"""ДДС (cash flow): months as columns, cash basis, in operating / investing / financing sections, then every
money account's opening balance, receipts, payments and closing balance (bank, cash, each shop's Ozon balance).

Receipts are positive, payments negative, as in the P&L. Ozon's payouts are an operating receipt of the bank account
they arrive at and a payment of the shop's Ozon balance; what Ozon accrues is the Ozon balance's receipt.
"""

from __future__ import annotations

from collections.abc import Sequence

from stpulse.domain.cash.book import ACTIVITY_TITLES, Activity, Flow
from stpulse.domain.cash.flows import AccountMonths, CashInputs, account_months, ozon_balance_gaps
from stpulse.domain.kernel.period import month_label, month_text, period_label
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table

EMPTY = CashInputs(accounts=(), categories=(), moves=(), ozon=())


def build_cash_flow(inputs: ReportInputs) -> Table:
    cash = inputs.cash or EMPTY
    months = inputs.period.months
    rows: list[Row] = []
    net = [0] * len(months)
    for activity in Activity:
        section = _section(cash, activity, months)
        rows += section
        net = [a + b for a, b in zip(net, section[-1].values, strict=True)]  # type: ignore[operator]
    rows.append(_flow_row("net_flow", "Чистый денежный поток", net, emphasis=True))
    balances = account_months(cash, months)
    rows += _totals(balances)
    for a in balances:
        rows += _account_rows(a)
    rows += _ozon_check(cash, months)
    warnings = () if cash.payouts_known or not cash.ozon else (
        "Выплаты Ozon ещё не загружены (выписка о движении денежных средств): баланс Ozon показан без них",)
    return Table(code="cash", title="ДДС", period=period_label(months[0], months[-1]), first_header="Статья",
                 columns=tuple(Column(code=month_text(m), label=month_label(m)) for m in months),
                 rows=tuple(rows), warnings=warnings)


def _section(cash: CashInputs, activity: Activity, months: tuple[int, ...]) -> list[Row]:
    index = {m: i for i, m in enumerate(months)}
    lines: dict[Flow, list[Row]] = {Flow.RECEIPT: [], Flow.PAYMENT: []}
    if activity is Activity.OPERATING:
        paid = _by_month([(o.month, o.paid_out) for o in cash.ozon if o.month in index])
        lines[Flow.RECEIPT].append(_flow_row("ozon_payouts", "Выплаты Ozon", [paid.get(m, 0) for m in months],
                                             level=1))
    for c in sorted((c for c in cash.categories if c.activity is activity), key=lambda c: c.name):
        got = _by_month([(m.month, m.amount) for m in cash.moves if m.category == c.key and m.month in index])
        sign = 1 if c.flow is Flow.RECEIPT else -1
        if got:  # a category without money in the period is left out (the cabinet lists them all)
            lines[c.flow].append(_flow_row(f"category:{c.key}", c.name, [sign * got.get(m, 0) for m in months],
                                           level=1))
    inflow = _sum_rows(lines[Flow.RECEIPT], len(months))
    outflow = _sum_rows(lines[Flow.PAYMENT], len(months))
    return [
        Row(code=f"section:{activity.value}", label=ACTIVITY_TITLES[activity], kind=Kind.MONEY,
            values=(None,) * len(months), emphasis=True),
        _flow_row(f"in:{activity.value}", "Поступления", inflow), *lines[Flow.RECEIPT],
        _flow_row(f"out:{activity.value}", "Платежи (−)", outflow), *lines[Flow.PAYMENT],
        _flow_row(f"net:{activity.value}", f"Сальдо: {ACTIVITY_TITLES[activity].lower()}",
                  [a + b for a, b in zip(inflow, outflow, strict=True)], emphasis=True),
    ]


def _sum_rows(rows: list[Row], n: int) -> list[int]:
    return [sum(int(r.values[i] or 0) for r in rows) for i in range(n)]


def _by_month(pairs: list[tuple[int, int]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for month, amount in pairs:
        out[month] = out.get(month, 0) + amount
    return out


def _flow_row(code: str, label: str, values: Sequence[int], *, level: int = 0, emphasis: bool = False,
              note: str = "") -> Row:
    ints = tuple(int(v) for v in values)
    return Row(code=code, label=label, kind=Kind.MONEY, values=ints, total=sum(ints), level=level, emphasis=emphasis,
               note=note)


def _balance_row(code: str, label: str, values: Sequence[int], total: int, *, level: int = 0,
                 emphasis: bool = False) -> Row:
    return Row(code=code, label=label, kind=Kind.MONEY, values=tuple(values), total=total, level=level,
               emphasis=emphasis)


def _totals(balances: tuple[AccountMonths, ...]) -> list[Row]:
    opening = [sum(v) for v in zip(*(a.opening for a in balances), strict=True)] if balances else []
    closing = [sum(v) for v in zip(*(a.closing for a in balances), strict=True)] if balances else []
    if not balances:
        return []
    return [_balance_row("opening", "Остаток на всех счетах на начало месяца", opening, opening[0], emphasis=True),
            _balance_row("closing", "Остаток на всех счетах на конец месяца", closing, closing[-1], emphasis=True)]


def _account_rows(a: AccountMonths) -> list[Row]:
    key = f"account:{a.account.key}"
    return [
        _balance_row(f"{key}:opening", f"{a.account.name}: на начало", a.opening, a.opening[0]),
        _flow_row(f"{key}:in", "поступления" if a.account.shop_id == 0 else "начислено Ozon", a.receipts, level=1),
        _flow_row(f"{key}:out", "платежи (−)" if a.account.shop_id == 0 else "выплачено продавцу (−)",
                  [-p for p in a.payments], level=1),
        _balance_row(f"{key}:closing", f"{a.account.name}: на конец", a.closing, a.closing[-1]),
    ]


def _ozon_check(cash: CashInputs, months: tuple[int, ...]) -> list[Row]:
    gaps = ozon_balance_gaps(cash, months)
    rows: list[Row] = []
    for shop in sorted({s for s, _ in gaps}):
        values = tuple(gaps.get((shop, m)) for m in months)
        marks = tuple(Highlight.LOSS if v else None for v in values)
        name = cash.shop_names.get(shop, f"магазин {shop}")
        rows.append(Row(code=f"ozon_gap:{shop}", label=f"Расхождение с балансом Ozon — {name}", kind=Kind.MONEY,
                        values=values, total=values[-1], marks=marks if any(marks) else (),
                        note="Наш остаток на конец месяца минус остаток по данным Ozon"))
    return rows
