"""Issue 12, acceptance 1 (fault): one payout line lost in Ozon's answers shows as exactly that amount
«Не объяснено (выплаты)» in the month it was paid, and nowhere else; the badge of every report shows the gap."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.adapters.sandbox.ozon import settlement as st
from stpulse.adapters.sandbox.ozon.config import FaultConfig
from stpulse.adapters.sandbox.ozon.recon_truth import recon_truth
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.reports.recon_drill import recon_lines
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.domain.reports import recon as r
from tests.integration.money.loader import add_shop
from tests.integration.ozon_sync import helpers as h

CLIENT, KEY = "880077", "medium-key-880077"
FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 5, 2)  # March and April, with May's first days for April's edges


@pytest.fixture(scope="module")
async def synced(sync_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    world_app = h.sandbox_app([(CLIENT, KEY, 42, "medium")])
    paid = st.payments(h.world_of(world_app, CLIENT), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    dropped = paid[len(paid) // 2]
    app = h.sandbox_app([(CLIENT, KEY, 42, "medium")], faults=FaultConfig(drop_payout_on=dropped.day))
    container = h.container_for(sync_db, tmp_path_factory.mktemp("recon"), h.ozon_factory(app))
    try:
        actor = await h.new_actor(container.deps, "recon-fault@example.com")
        shop_id = await h.connect(container.deps, actor, CLIENT, KEY)
        run = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=FIRST, date_to=LAST)
        assert run is not None and run.status == SyncStatus.DONE, run
        yield {"deps": container.deps, "actor": actor, "world": h.world_of(app, CLIENT), "dropped": dropped,
               "faults": FaultConfig(drop_payout_on=dropped.day), "shop": shop_id, "pg": sync_db}
    finally:
        await container.close()


async def test_a_lost_payout_line_is_unexplained_in_its_month_only(synced):  # type: ignore[no-untyped-def]
    truth = recon_truth(synced["world"], dt.date(2026, 3, 1), dt.date(2026, 4, 1), synced["faults"])
    view = await build_report(synced["deps"], synced["actor"], "recon",
                              ReportRequest(month_from="2026-03", month_to="2026-04"))
    assert view.table is not None
    cells = {row.code: row.values for row in view.table.rows}
    assert cells[r.UNEXPLAINED_PAYOUTS] == (synced["dropped"].amount, 0)
    for j, gt in enumerate(truth.values()):
        for code in (*r.REALIZATION_CATEGORIES, *r.PAYOUT_CATEGORIES):
            assert cells[code][j] == gt.categories[code], code
        assert cells[r.PAID][j] == gt.paid
    row = view.table.row(r.UNEXPLAINED_PAYOUTS)
    assert row.marks[0] == "loss" and row.marks[1] is None  # in red, where it is
    assert view.recon_gap == synced["dropped"].amount
    pnl = await build_report(synced["deps"], synced["actor"], "pnl",
                             ReportRequest(month_from="2026-03", month_to="2026-04"))
    assert pnl.recon_gap == synced["dropped"].amount  # every report carries the badge's figure


async def test_another_account_never_reads_the_reconciliation_by_the_shop_id(synced):  # type: ignore[no-untyped-def]
    deps, shop = synced["deps"], synced["shop"]
    other = await h.new_actor(deps, "recon-other@example.com")
    req = ReportRequest(shop_ids=(shop,), month_from="2026-03", month_to="2026-04")
    with pytest.raises(NotFound):  # an account without shops: nothing of another account is found
        await recon_lines(deps, other, req, r.UNEXPLAINED_PAYOUTS)
    assert (await build_report(deps, other, "recon", req)).table is None
    await add_shop(synced["pg"], other.account_id, "Чужой", "880078")  # with a shop of its own, ours is refused
    with pytest.raises(ValidationError):
        await recon_lines(deps, other, req, r.UNEXPLAINED_PAYOUTS)
    with pytest.raises(ValidationError):
        await build_report(deps, other, "recon", req)
    own = await recon_lines(deps, synced["actor"], req, r.UNEXPLAINED_PAYOUTS)
    assert [m.month for m in own.months if m.value] == ["2026-03"]
    assert sum(p.amount for p in own.months[0].payouts) == (await build_report(
        deps, synced["actor"], "recon", req)).table.row(r.PAID).values[0]
