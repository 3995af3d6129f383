"""Issue 12, acceptance 1: the medium sandbox shop's 12 months synced into PostgreSQL (the accruals and Ozon's
settlement documents: the realization report, the cash-flow statement, the balance by day) — every category of
«Сверка с Ozon» equals the sandbox's own reasons to the kopeck, every month, and nothing is left unexplained.

The year is the run's one medium sync (tests/integration/medium_year.py, every source); postings, returns, products
and stocks play no part in the reconciliation, and the resync below leaves them out."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.adapters.sandbox.ozon.recon_truth import recon_truth
from stpulse.application.ozon.sources import SOURCES
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports import recon as rc
from tests.integration.ozon_sync import helpers as h

RECON_SOURCES = tuple(s for s in SOURCES if s.code not in {"postings", "returns", "products", "stocks"})


pytestmark = pytest.mark.timeout(2400)  # the run's first user of the medium year syncs it: minutes on a busy machine


@pytest.fixture(scope="module")
async def synced(medium_year, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The year's sync (tests/integration/medium_year.py) in a copy of its own."""
    name, pg_url = medium_year.copy("stpulse_recon")
    container = h.container_for(pg_url, tmp_path_factory.mktemp("recon-year"), h.ozon_factory(medium_year.app))
    try:
        actor = await medium_year.actor(container.deps)
        yield {"deps": container.deps, "actor": actor, "world": medium_year.world, "pg": pg_url,
               "shop": medium_year.shop}
    finally:
        await container.close()
        medium_year.drop(name)


async def test_reconciliation_with_ozon_equals_ground_truth_every_month(synced):  # type: ignore[no-untyped-def]
    truth = recon_truth(synced["world"], h.YEAR_FROM, h.YEAR_TO)
    view = await build_report(synced["deps"], synced["actor"], "recon",
                              ReportRequest(month_from="2025-10", month_to="2026-09"))
    assert view.table is not None and view.recon_gap == 0
    for j, (month, gt) in enumerate(truth.items()):
        cells = {row.code: row.values[j] for row in view.table.rows}
        assert (cells[rc.ACCRUED], cells[rc.REALIZED], cells[rc.PAID]) == (gt.accrued, gt.realized, gt.paid), month
        for code in (*rc.REALIZATION_CATEGORIES, *rc.PAYOUT_CATEGORIES):
            assert cells[code] == gt.categories.get(code), (month, code)
        assert cells[rc.UNEXPLAINED_PAYOUTS] == 0 and cells[rc.UNEXPLAINED_REALIZATION] in (0, None), month
    assert truth[dt.date(2026, 9, 1)].realized is None  # September's report is not published on the 30th
    kinds = {code for gt in truth.values() for code, v in gt.categories.items() if v}
    assert {rc.MONTH_END_DELIVERIES, rc.RETURNS_LATER, rc.HOLDS, rc.RELEASES, rc.PAYOUT_TIMING} <= kinds
    print("\nreasons of 2026-03:", truth[dt.date(2026, 3, 1)].reasons)


async def test_documents_are_stored_raw_and_normalised_and_a_resync_changes_nothing(synced):  # type: ignore[no-untyped-def]
    pg, shop = synced["pg"], synced["shop"]
    count = {t: (await h.fetch(pg, f"SELECT count(*) AS n FROM {t} WHERE shop_id = $1", shop))[0]["n"]
             for t in ("ozon_realization_reports", "ozon_realization_lines", "ozon_cash_flow_periods", "ozon_balances",
                       "ozon_accrual_day_sums")}
    assert count["ozon_realization_reports"] == 12  # Sep 2025 (the month before the run) … Aug 2026
    assert count["ozon_cash_flow_periods"] == 24 and count["ozon_balances"] == 365
    raw = await h.fetch(pg, "SELECT length(raw) AS n FROM ozon_balances WHERE shop_id = $1 LIMIT 1", shop)
    assert raw[0]["n"] > 20
    before = await build_report(synced["deps"], synced["actor"], "recon",
                                ReportRequest(month_from="2026-07", month_to="2026-08"))
    run = await sync_shop(synced["deps"], shop, SyncKind.CLI, date_from=dt.date(2026, 7, 1),
                          date_to=dt.date(2026, 8, 31), sources=RECON_SOURCES)
    assert run is not None and run.status == SyncStatus.DONE
    after = await build_report(synced["deps"], synced["actor"], "recon",
                               ReportRequest(month_from="2026-07", month_to="2026-08"))
    assert after.table is not None and before.table is not None and after.table.rows == before.table.rows


async def test_the_dds_ozon_account_closes_every_month_at_ozons_balance(synced):  # type: ignore[no-untyped-def]
    """The same year in the ДДС (issue 12, acceptance 2): the world began long before the sync, so the Ozon account
    opens at Ozon's balance of the first synced day; «Выплаты Ozon» are the reconciliation's «Выплачено»."""
    req = ReportRequest(month_from="2025-10", month_to="2026-09")
    cash = (await build_report(synced["deps"], synced["actor"], "cash", req)).table
    recon = (await build_report(synced["deps"], synced["actor"], "recon", req)).table
    assert cash is not None and recon is not None
    [gap] = [r for r in cash.rows if r.code.startswith("ozon_gap:")]
    assert list(gap.values) == [0] * 12
    assert cash.row("ozon_payouts").values == recon.row(rc.PAID).values
    [opening] = [r for r in cash.rows if r.code.endswith(":opening") and r.label.startswith("Баланс Ozon")]
    assert opening.values[0] != 0 and not any("Выплаты Ozon ещё не загружены" in w for w in cash.warnings)
