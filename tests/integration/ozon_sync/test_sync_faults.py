"""Acceptance 2: with 20 % 429, 5 % 500/503 and 2 % timeouts injected, the medium shop's sync equals the
sandbox's ground truth per month and type to the kopeck, over the same 12 months as acceptance 1 (~1 min)."""

from __future__ import annotations

from collections import defaultdict

from stpulse.adapters.sandbox.ozon import FaultConfig, sandbox_state
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from tests.integration.ozon_sync import helpers as h

CLIENT, KEY = "890001", "faulty-key-890001"
FROM = h.YEAR_FROM


async def test_faulty_ozon_gives_the_same_result(sync_db, tmp_path):  # type: ignore[no-untyped-def]
    faults = FaultConfig(share_429=0.20, share_5xx=0.05, share_slow=0.02, slow_seconds=0.3, seed=9)
    app = h.sandbox_app([(CLIENT, KEY, 43, "medium")], faults)
    container = h.container_for(sync_db, tmp_path, h.ozon_factory(app, timeout=0.2))
    try:
        actor = await h.new_actor(container.deps, "faults@example.com")
        shop_id = await h.connect(container.deps, actor, CLIENT, KEY)
        run = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=FROM, date_to=h.YEAR_TO)
    finally:
        await container.close()
    assert run is not None and run.status == SyncStatus.DONE, run
    injected = sandbox_state(app).faults.injected
    assert injected["429"] > 0 and injected["5xx"] > 0 and injected["slow"] > 0, injected
    world = h.world_of(app, CLIENT)
    truth = h.truth_by_month(world, FROM, h.YEAR_TO)
    rows = await h.fetch(sync_db, "SELECT date_trunc('month', date)::date AS m, type_id, component, sum(amount) AS s, "
                                  "count(*) AS n FROM accrual_lines WHERE shop_id = $1 GROUP BY 1, 2, 3", shop_id)
    by_type: dict = defaultdict(dict)
    totals: dict = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["component"] == "service":
            by_type[r["m"]][r["type_id"]] = int(r["s"])
        totals[r["m"]][0] += int(r["s"])
        totals[r["m"]][1] += r["n"]
    for month, gt in truth.items():
        assert by_type[month] == dict(gt.by_type), month
        assert totals[month] == [gt.total, gt.n_lines], month
    gt = h.ground_truth(world, FROM, h.YEAR_TO)
    posts = await h.fetch(sync_db, "SELECT count(*) AS n FROM ozon_postings WHERE shop_id = $1", shop_id)
    returns = await h.fetch(sync_db, "SELECT count(*) AS n FROM ozon_returns WHERE shop_id = $1", shop_id)
    assert posts[0]["n"] == gt.postings_fbo + gt.postings_fbs and returns[0]["n"] == gt.returns
