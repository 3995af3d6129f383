"""ДДС as an accountant reads it: per money account and month, closing = opening + receipts − payments; Ozon's
payouts leave the shop's Ozon balance and arrive at the bank account; sections add up to the net cash flow."""

from __future__ import annotations

from stpulse.domain.cash.book import AccountKind, Activity, Flow
from stpulse.domain.cash.flows import (
    PAYOUTS_ACCOUNT,
    Account,
    CashInputs,
    Category,
    Move,
    OzonMonth,
    account_months,
    ozon_balance_gaps,
)
from stpulse.domain.kernel.period import Period, parse_month
from stpulse.domain.ledger.rollup import empty_rollup
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.kinds import Selection
from stpulse.domain.reports.registry import report_kind

JAN, FEB, MAR, DEC = (parse_month(m) for m in ("2026-01", "2026-02", "2026-03", "2025-12"))
BANK = Account(key=1, name="Расчётный счёт", kind=AccountKind.BANK, opening=100_000_00, opening_month=DEC)
TILL = Account(key=2, name="Касса", kind=AccountKind.CASH, opening=5_000_00, opening_month=DEC)
RENT = Category(key=1, name="Аренда", activity=Activity.OPERATING, flow=Flow.PAYMENT)
LOAN = Category(key=2, name="Получение кредитов и займов", activity=Activity.FINANCING, flow=Flow.RECEIPT)
GEAR = Category(key=3, name="Покупка оборудования", activity=Activity.INVESTING, flow=Flow.PAYMENT)


def inputs(**changes) -> CashInputs:  # type: ignore[no-untyped-def]
    base = dict(
        accounts=(BANK, TILL), categories=(RENT, LOAN, GEAR),
        moves=(Move(account=1, category=1, month=DEC, amount=30_000_00),  # before the period: in the opening
               Move(account=1, category=1, month=JAN, amount=30_000_00),
               Move(account=2, category=1, month=FEB, amount=1_000_00),
               Move(account=1, category=2, month=FEB, amount=500_000_00),
               Move(account=1, category=3, month=MAR, amount=120_000_00)),
        ozon=(OzonMonth(shop_id=1, month=DEC, accrued=80_000_00, paid_out=40_000_00),
              OzonMonth(shop_id=1, month=JAN, accrued=90_000_00, paid_out=85_000_00),
              OzonMonth(shop_id=1, month=FEB, accrued=-2_000_00, paid_out=50_000_00),
              OzonMonth(shop_id=1, month=MAR, accrued=70_000_00, paid_out=0)),
        shop_names={1: "Магазин"})
    return CashInputs(**{**base, **changes})


def test_every_account_holds_the_balance_identity_in_every_month():
    months = (JAN, FEB, MAR)
    for a in account_months(inputs(), months):
        for i in range(len(months)):
            assert a.closing[i] == a.opening[i] + a.receipts[i] - a.payments[i]
            if i:
                assert a.opening[i] == a.closing[i - 1]
    bank, till, ozon = account_months(inputs(), months)
    assert bank.opening[0] == 100_000_00 - 30_000_00 + 40_000_00  # December's rent and payout came before
    assert bank.receipts == (85_000_00, 550_000_00, 0) and bank.payments == (30_000_00, 0, 120_000_00)
    assert till.closing[-1] == 4_000_00
    assert ozon.account.kind is AccountKind.OZON
    assert ozon.opening[0] == 40_000_00 and ozon.closing == (45_000_00, -7_000_00, 63_000_00)


def test_payouts_arrive_at_the_flagged_bank_account_or_at_one_made_for_them():
    flagged = Account(key=3, name="Второй счёт", kind=AccountKind.BANK, opening=0, opening_month=DEC,
                      receives_payouts=True)
    names = {a.account.name: a for a in account_months(inputs(accounts=(BANK, TILL, flagged)), (JAN,))}
    assert names["Второй счёт"].receipts == (85_000_00,) and names["Расчётный счёт"].receipts == (0,)
    made = account_months(inputs(accounts=(), moves=()), (JAN,))
    assert made[0].account.key == PAYOUTS_ACCOUNT and made[0].closing == (125_000_00,)


def test_ozon_balance_check_names_the_gap_per_shop_and_month():
    assert ozon_balance_gaps(inputs(), (JAN, FEB)) == {}  # nothing reported by Ozon yet
    reported = {(1, JAN): 45_000_00, (1, FEB): -7_000_01}
    assert ozon_balance_gaps(inputs(ozon_balances=reported), (JAN, FEB)) == {(1, JAN): 0, (1, FEB): 1}


def test_the_ozon_account_opens_at_ozons_balance_before_the_first_synced_month():
    bank, till, ozon = account_months(inputs(ozon_openings={1: 12_345_67}), (JAN, FEB))
    assert ozon.opening[0] == 12_345_67 + 40_000_00 and ozon.closing == (57_345_67, 5_345_67)
    assert bank.opening[0] == 100_000_00 - 30_000_00 + 40_000_00  # the bank is not moved by it


def test_the_report_adds_sections_to_the_net_flow_and_shows_every_account():
    period = Period(first_month=JAN, last_month=MAR)
    cash = inputs(ozon_balances={(1, MAR): 63_000_00})
    table = report_kind("cash").render(ReportInputs(period=period, shop_ids=(1,), rollup=empty_rollup([1]), cash=cash),
                                       Selection())
    row = table.row
    assert row("ozon_payouts").values == (85_000_00, 50_000_00, 0)
    assert row("net:operating").values == (85_000_00 - 30_000_00, 50_000_00 - 1_000_00, 0)
    assert row("net:financing").values == (0, 500_000_00, 0) and row("net:investing").total == -120_000_00
    net = row("net_flow").values
    assert all(net[i] == sum(row(f"net:{a}").values[i] for a in ("operating", "investing", "financing"))
               for i in range(3))
    own = [a for a in account_months(cash, period.months) if a.account.kind is not AccountKind.OZON]
    assert [sum(a.closing[i] - a.opening[i] for a in own) for i in range(3)] == list(net)  # own money moves by it
    assert row("account:1:closing").total == row("account:1:closing").values[-1]
    assert row("account:1:opening").total == row("account:1:opening").values[0]
    assert row("ozon_gap:1").values == (None, None, 0) and not row("ozon_gap:1").marks
    assert row("closing").values[-1] == sum(a.closing[-1] for a in account_months(cash, period.months))
    assert table.title == "ДДС" and not table.warnings
