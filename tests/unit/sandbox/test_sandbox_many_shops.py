"""`stpulse sandbox --shops N` (bench/scale.py): a thousand sellers in a row, deterministic from the first one."""

import datetime as dt

from stpulse.adapters.sandbox.ozon import SandboxConfig, create_sandbox_app, numbered_shops, sandbox_state
from stpulse.adapters.sandbox.ozon.stock_history import stock_on
from tests.unit.sandbox.conftest import client_for
from tests.unit.sandbox.test_sandbox_api import TODAY, fetch_day


def test_numbered_shops_follow_the_first_client_id_key_and_seed() -> None:
    shops = numbered_shops("700000", "k", 5, "small", 1000)
    assert len({s.client_id for s in shops}) == 1000
    assert (shops[0].client_id, shops[0].api_key, shops[0].seed) == ("700000", "k", 5)
    assert (shops[999].client_id, shops[999].api_key, shops[999].seed) == ("700999", "k-999", 1004)
    assert numbered_shops("700000", "k", 5, "small", 1000) == shops
    assert numbered_shops("abc", "k", 1, "small", 1)[0].client_id == "abc"  # one shop keeps any Client-Id


async def test_the_last_of_a_thousand_shops_is_served_with_its_own_key() -> None:
    app = create_sandbox_app(SandboxConfig(shops=numbered_shops("700000", "k", 5, "small", 1000), today=TODAY))
    async with client_for(app) as client:
        day = TODAY - dt.timedelta(days=1)
        last, _ = await fetch_day(client, day, {"Client-Id": "700999", "Api-Key": "k-999"})
        first, _ = await fetch_day(client, day, {"Client-Id": "700000", "Api-Key": "k"})
        assert last and {a["accrual_id"] for a in last}.isdisjoint({a["accrual_id"] for a in first})
        refused = await client.post("/v1/finance/accrual/by-day", json={"date": day.isoformat()},
                                    headers={"Client-Id": "700999", "Api-Key": "k"})
        assert refused.status_code == 403  # the first shop's key does not open the last one


def test_a_warm_sandbox_has_every_sellers_stock_built_and_answers_as_a_cold_one() -> None:
    """`stpulse sandbox --warm` (bench/scale.py): every seller's stock history is simulated before serving, and
    what it then answers is what a cold sandbox builds on the first stock request."""
    config = SandboxConfig(shops=numbered_shops("700000", "k", 5, "small", 3), today=TODAY)
    warm = sandbox_state(create_sandbox_app(config))
    assert warm.warm() == 3
    assert all("stock_sim" in warm.world(client_id).memo for client_id in ("700000", "700001", "700002"))
    cold = sandbox_state(create_sandbox_app(config)).world("700002")
    assert "stock_sim" not in cold.memo
    assert stock_on(cold, TODAY) == stock_on(warm.world("700002"), TODAY) != []
