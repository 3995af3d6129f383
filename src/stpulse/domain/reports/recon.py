"""«Сверка с Ozon»: per month, accruals ↔ the realization report ↔ payouts, every difference named.

Two chains, each amount being what it adds to the difference it explains:
- accrued − realized = deliveries across a month end (Ozon accrues on the 1st what it delivered on the last day
  of the month before) + returns accrued later (a return accrued on the 1st or 2nd belongs to the realization
  report of the month before) + services outside the realization report + compensations + unexplained;
- accrued − paid = held back by Ozon + released holds + payout timing (a period's «к выплате» paid in another
  month, split payouts) + unexplained.
Every category is computed from its own source (accrual lines of the boundary days, the realization report,
Ozon's cash-flow statement, the payouts dated by the balance), so «не объяснено» is a real check: a lost
payout line or a realization row without its accrual shows there, in red.
"""

from __future__ import annotations

import msgspec

from stpulse.domain.kernel.period import month_label, month_text, period_label
from stpulse.domain.reports.kinds import DrillTarget
from stpulse.domain.reports.settlement import SettlementMonth
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table

ACCRUED, REALIZED, PAID = "accrued", "realized", "paid"
DIFF_REALIZATION, DIFF_PAYOUTS = "diff_realization", "diff_payouts"
MONTH_END_DELIVERIES = "month_end_deliveries"
RETURNS_LATER = "returns_later"
SERVICES = "services_outside"
COMPENSATIONS = "compensations"
UNEXPLAINED_REALIZATION = "unexplained_realization"
HOLDS = "holds"
RELEASES = "releases"
PAYOUT_TIMING = "payout_timing"
UNEXPLAINED_PAYOUTS = "unexplained_payouts"
UNEXPLAINED = (UNEXPLAINED_REALIZATION, UNEXPLAINED_PAYOUTS)
REALIZATION_CATEGORIES = (MONTH_END_DELIVERIES, RETURNS_LATER, SERVICES, COMPENSATIONS, UNEXPLAINED_REALIZATION)
PAYOUT_CATEGORIES = (HOLDS, RELEASES, PAYOUT_TIMING, UNEXPLAINED_PAYOUTS)

LABELS = {
    ACCRUED: "Начислено Ozon (отчёт о начислениях)",
    REALIZED: "Отчёт о реализации (нетто)",
    PAID: "Выплачено Ozon на расчётный счёт",
    DIFF_REALIZATION: "Разница: начислено − реализация",
    MONTH_END_DELIVERIES: "Доставки на стыке месяцев",
    RETURNS_LATER: "Возвраты, начисленные позже",
    SERVICES: "Услуги вне отчёта о реализации",
    COMPENSATIONS: "Компенсации Ozon",
    UNEXPLAINED_REALIZATION: "Не объяснено (реализация)",
    DIFF_PAYOUTS: "Разница: начислено − выплачено",
    HOLDS: "Удержано Ozon до следующей выплаты",
    RELEASES: "Выплачено из ранее удержанного",
    PAYOUT_TIMING: "Выплаты на стыке месяцев",
    UNEXPLAINED_PAYOUTS: "Не объяснено (выплаты)",
}
NOTES = {
    MONTH_END_DELIVERIES: "Доставлено в последний день месяца, начислено 1-го числа следующего",
    RETURNS_LATER: "Возврат оформлен в одном месяце, начислен 1–2-го числа следующего",
    SERVICES: "Логистика, хранение, реклама, штрафы и прочие услуги: только в начислениях",
    COMPENSATIONS: "Компенсации и бонусы Ozon не входят в отчёт о реализации",
    HOLDS: "Часть суммы к выплате за период Ozon придержал (финансовый отчёт)",
    RELEASES: "Удержанное раньше вошло в сумму к выплате",
    REALIZED: "Реализовано за вычетом возвратов и вознаграждения Ozon",
    PAYOUT_TIMING: "К выплате за периоды месяца минус выплаченное в месяце (график выплат, разделённые выплаты)",
}


class Reconciliation(msgspec.Struct, frozen=True, kw_only=True):
    """One shop-month: the three totals and every category; None where a source is missing."""

    accrued: int
    realized: int | None
    paid: int
    categories: dict[str, int | None]

    @property
    def unexplained(self) -> int:
        return sum(abs(self.categories.get(c) or 0) for c in UNEXPLAINED)


def reconcile(m: SettlementMonth) -> Reconciliation:
    cats: dict[str, int | None] = dict.fromkeys((*REALIZATION_CATEGORIES, *PAYOUT_CATEGORIES))
    realized = None
    if m.realized_delivered is not None and m.realized_returned is not None:
        realized = m.realized_delivered + m.realized_returned
        cats[MONTH_END_DELIVERIES] = m.delivered_first - m.delivered_first_next
        cats[RETURNS_LATER] = m.returned_early - m.returned_early_next
        cats[SERVICES], cats[COMPENSATIONS] = m.services, m.compensations
        explained = sum(cats[c] or 0 for c in REALIZATION_CATEGORIES)
        cats[UNEXPLAINED_REALIZATION] = m.accrued - realized - explained
    if m.statement_accrued is not None:
        cats[HOLDS], cats[RELEASES] = m.statement_holds, m.statement_releases
        cats[PAYOUT_TIMING] = m.statement_invoice - m.statement_paid
        explained = m.statement_holds + m.statement_releases + (cats[PAYOUT_TIMING] or 0)
        cats[UNEXPLAINED_PAYOUTS] = m.accrued - m.paid - explained
    return Reconciliation(accrued=m.accrued, realized=realized, paid=m.paid, categories=cats)


def reconcile_months(months: tuple[int, ...], data: tuple[SettlementMonth, ...]) -> list[Reconciliation]:
    """Per month of the period, the shops' months added up (a missing source in any shop leaves None)."""
    out = []
    for month in months:
        parts = [reconcile(m) for m in data if m.month == month]
        out.append(_add(parts))
    return out


def _add(parts: list[Reconciliation]) -> Reconciliation:
    if not parts:
        return Reconciliation(accrued=0, realized=None, paid=0, categories={})
    realized = [p.realized for p in parts]
    cats: dict[str, int | None] = {}
    for code in (*REALIZATION_CATEGORIES, *PAYOUT_CATEGORIES):
        values = [p.categories.get(code) for p in parts]
        cats[code] = None if any(v is None for v in values) else sum(v or 0 for v in values)
    return Reconciliation(accrued=sum(p.accrued for p in parts), paid=sum(p.paid for p in parts),
                          realized=None if any(r is None for r in realized) else sum(r or 0 for r in realized),
                          categories=cats)


def gap(months: tuple[int, ...], data: tuple[SettlementMonth, ...]) -> int:
    """Σ |unexplained| over the shops' months: the badge every report shows."""
    return sum(reconcile(m).unexplained for m in data if m.month in months)


def build_recon(months: tuple[int, ...], data: tuple[SettlementMonth, ...]) -> Table:
    recs = reconcile_months(months, data)
    rows = [
        _row(ACCRUED, [r.accrued for r in recs], emphasis=True),
        _row(REALIZED, [r.realized for r in recs]),
        _row(DIFF_REALIZATION, [None if r.realized is None else r.accrued - r.realized for r in recs],
             emphasis=True),
        *(_row(c, [r.categories.get(c) for r in recs], level=1) for c in REALIZATION_CATEGORIES),
        _row(PAID, [r.paid for r in recs]),
        _row(DIFF_PAYOUTS, [r.accrued - r.paid for r in recs], emphasis=True),
        *(_row(c, [r.categories.get(c) for r in recs], level=1) for c in PAYOUT_CATEGORIES),
    ]
    warnings = []
    missing = [month_label(m) for m, r in zip(months, recs, strict=True) if r.realized is None]
    if missing:
        warnings.append("Отчёт о реализации ещё не опубликован Ozon или не загружен: " + ", ".join(missing))
    return Table(code="recon", title="Сверка с Ozon", period=period_label(months[0], months[-1]),
                 first_header="Показатель", columns=tuple(Column(code=month_text(m), label=month_label(m))
                                                          for m in months),
                 rows=tuple(rows), warnings=tuple(warnings))


def _row(code: str, values: list[int | None], *, level: int = 0, emphasis: bool = False) -> Row:
    known = [v for v in values if v is not None]
    total = sum(known) if known else None
    marks: tuple[Highlight | None, ...] = ()
    total_mark = None
    if code in UNEXPLAINED:
        marks = tuple(Highlight.LOSS if v else None for v in values)
        marks = marks if any(marks) else ()
        total_mark = Highlight.LOSS if any(values) else None
    return Row(code=code, label=LABELS[code], kind=Kind.MONEY, values=tuple(values), total=total, level=level,
               note=NOTES.get(code, ""), emphasis=emphasis, marks=marks, total_mark=total_mark)


def recon_drill(row_code: str) -> DrillTarget | None:
    """Every difference and the three totals open the lines behind them (web: /app/reports/recon/drill)."""
    if row_code in LABELS and row_code not in (DIFF_REALIZATION, DIFF_PAYOUTS):
        return DrillTarget(title=LABELS[row_code], component="settlement")
    return None
