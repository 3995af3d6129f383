"""A repeated JSON API report is answered after one statement (`application/reports/api_hits.py`,
`adapters/db/reports/report_hits.py`) — and never after anything it depends on has changed.

Each change below, written through the product's paths or by raw SQL, makes the next request take the full path
(the token checked, the report built), and the answer equals one computed with every cache emptied; a refusal
(token revoked, user blocked, member moved to another shop, tariff without the API, subscription over) is given at
once. Time alone ends a kept answer too (the subscription's end); the token's «last used» is written by a kept answer
as by the full path, once a minute.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
import pytest

from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.reports import api_hits
from stpulse.application.reports.cache import ESTIMATES, TABLES
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.costs.cogs import CostPrice
from tests.integration.conftest import http_client
from tests.integration.money.loader import add_shop, dsn
from tests.integration.money.test_report_cache import sold_month, sql
from tests.integration.money.test_report_registry import _token
from tests.integration.money.test_rollup_packs import MONTHS, seller_with_two_months

QUERY = "from=2026-01&to=2026-02"


class MovableClock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def built(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times the full path built a report."""
    count: list = [0, None]  # the builds; a change to commit right after the next build (a writer racing it)
    full = api_hits.build_report

    async def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        count[0] += 1
        view = await full(*args, **kwargs)
        if count[1] is not None:
            change, count[1] = count[1], None
            await change()
        return view

    monkeypatch.setattr(api_hits, "build_report", counting)
    return count


async def test_a_repeated_api_report_takes_one_statement_until_anything_it_reads_changes(
        app, client, mailbox, pg_url, built):
    entity = LegalEntity(id=uuid.uuid4(), account_id=uuid.uuid4(), kind=EntityKind.IP, name="ИП Повтор",
                         inn="500100732259")
    seller = await seller_with_two_months(app, client, mailbox, pg_url, "hits@example.ru", "Повтор", "8101", entity)
    deps, shop_id, account_id = seller.deps, seller.shop_id, seller.account_id
    hits = deps.report_hits
    assert hits is not None  # PostgreSQL
    token = await _token(client)
    clock = MovableClock(dt.datetime.now(dt.UTC))
    object.__setattr__(deps, "clock", clock)
    api = http_client(app)  # a script's client: no cookies
    headers = {"Authorization": f"Bearer {token}"}

    async def get(code: str, query: str = f"{QUERY}&shops={shop_id}") -> tuple[int, dict]:
        resp = await api.get(f"/api/v1/reports/{code}?{query}", headers=headers)
        return resp.status_code, resp.json()

    async def fresh(code: str) -> dict:
        """The same request with every cache emptied (this process's views too)."""
        hits.clear()
        TABLES.clear()
        await deps.report_cache.shared.clear()
        content_cache.clear()
        rollup_packs.CACHE.clear()
        ESTIMATES.clear()
        status, body = await get(code)
        assert status == 200
        return body

    async def again(code: str, expected: dict) -> None:
        """Served again: no report built, the same answer."""
        before = built[0]
        assert await get(code) == (200, expected)
        assert built[0] == before

    async def changed(code: str) -> dict:
        """Built again after a change, equal to a computation from scratch, then served again."""
        before = built[0]
        status, body = await get(code)
        assert status == 200 and built[0] == before + 1
        assert body == await fresh(code)
        await again(code, body)
        return body

    async def refused(code: str = "pnl") -> int:
        """Not the kept answer: a refusal (422 for a shop the member no longer sees)."""
        status, _ = await get(code)
        assert 400 <= status < 500
        return status

    first = {code: (await get(code))[1] for code in ("pnl", "unit")}
    for code in ("pnl", "unit"):
        await again(code, first[code])
    for code in ("pnl", "unit"):  # (emptying the caches drops the other report's kept view too)
        assert first[code] == await fresh(code)
        await again(code, first[code])
    assert built[0] == 4  # once each, and once each from scratch
    assert await sql_value(pg_url, "SELECT last_used_at FROM api_tokens WHERE account_id = $1", account_id)

    # the report's data: a cost price (the product's path), an own expense, the tax, the catalogue, a month re-synced
    async with deps.uow() as uow:
        await uow.cost_prices.upsert(account_id, [
            CostPrice(offer_id="A-502", effective_from=dt.date(2025, 1, 1), purchase=9_000)])
        await uow.commit()
    costs = await changed("pnl")
    assert costs != first["pnl"]
    await sql(pg_url, "INSERT INTO opex_entries (id, account_id, shop_id, month, article, amount, created_at, "
              "updated_at) VALUES ($1, $2, NULL, '2026-01-01', 'Аренда', 5000000, now(), now())",
              uuid.uuid4(), account_id)
    assert await changed("pnl") != costs
    await sql(pg_url, "UPDATE legal_entities SET tax_rate_percent = '1' WHERE id = $1", entity.id)
    await changed("pnl")
    await sql(pg_url, "UPDATE ozon_products SET name = 'Другое имя' WHERE shop_id = $1 AND sku = 502", shop_id)
    unit = await changed("unit")
    assert "A-502 — Другое имя" in str(unit)
    await sold_month(deps, shop_id, *MONTHS[0], seed=42)
    await changed("unit")
    resynced = await changed("pnl")

    # what the request's reading depends on beyond the data: the shop's last sync (the data's age), the user's
    # «Показатели», the account's highlight thresholds and models
    await sql(pg_url, "UPDATE shops SET last_synced_at = now() WHERE id = $1", shop_id)
    synced = await changed("pnl")
    assert synced["report"]["data_as_of"] != resynced["report"]["data_as_of"]
    await changed("unit")  # kept again, so that the next change alone makes it differ
    await sql(pg_url, "INSERT INTO report_metric_choices (user_id, account_id, report, metrics) "
              "SELECT user_id, account_id, 'unit', 'profit' FROM memberships WHERE account_id = $1",
              account_id)
    chosen = await changed("unit")
    assert [c["code"] for c in chosen["report"]["columns"]] == ["profit"]
    await sql(pg_url, "INSERT INTO report_highlight_thresholds (account_id, rule, value) VALUES ($1, 'margin', 5)",
              account_id)
    await changed("unit")
    await sql(pg_url, "INSERT INTO sku_models (account_id, offer_id, model) VALUES ($1, 'A-501', 'Модель')",
              account_id)
    await changed("unit")
    # a change committed while a report is being built (after its reads): the answer given then is not kept
    async def racing() -> None:
        await sql(pg_url, "UPDATE cost_prices SET purchase = purchase + 1000 WHERE account_id = $1", account_id)

    await sql(pg_url, "UPDATE legal_entities SET tax_rate_percent = '2' WHERE id = $1", entity.id)
    built[1] = racing
    raced = (await get("pnl"))[1]
    assert await changed("pnl") != raced

    # another shop of the account (the member may now pick it): the same report is checked again
    await add_shop(pg_url, account_id, "Второй", "8102")
    await changed("pnl")

    # the token's «last used» falls due after a minute: written by the kept answer too (once, as the full path does)
    kept = (await get("pnl"))[1]
    used = await sql_value(pg_url, "SELECT last_used_at FROM api_tokens WHERE account_id = $1", account_id)
    clock.moment += dt.timedelta(seconds=61)
    await again("pnl", kept)
    touched = await sql_value(pg_url, "SELECT last_used_at FROM api_tokens WHERE account_id = $1", account_id)
    assert touched == clock.moment and touched != used
    clock.moment += dt.timedelta(seconds=30)
    await again("pnl", kept)  # not written again within the minute
    assert await sql_value(pg_url, "SELECT last_used_at FROM api_tokens WHERE account_id = $1", account_id) == touched
    # a request finding the row locked by another (one writing it right now) answers without waiting for it, both
    # on a kept answer and on the full path
    holder = await asyncpg.connect(dsn(pg_url))
    try:
        await holder.execute("BEGIN")
        await holder.execute("SELECT 1 FROM api_tokens WHERE account_id = $1 FOR UPDATE", account_id)
        clock.moment += dt.timedelta(seconds=61)
        assert await asyncio.wait_for(get("pnl"), 10) == (200, kept)
        hits.clear()
        assert await asyncio.wait_for(get("pnl"), 10) == (200, kept)
        await holder.execute("ROLLBACK")
    finally:
        await holder.close()
    assert await sql_value(pg_url, "SELECT last_used_at FROM api_tokens WHERE account_id = $1", account_id) == touched
    await get("pnl")
    assert await sql_value(pg_url, "SELECT last_used_at FROM api_tokens WHERE account_id = $1", account_id) == \
        clock.moment

    # refusals at once, and the kept answer again once each is undone (the rows are as they were when it was
    # built): the tariff loses the API, the member is moved to another shop, the user is blocked, the token is revoked
    assert await sql_value(pg_url, "SELECT count(*) FROM tariffs WHERE features LIKE '%api_access%'")
    await sql(pg_url, "UPDATE tariffs SET features = replace(features, 'api_access', 'no_api')")
    await refused()
    await sql(pg_url, "UPDATE tariffs SET features = replace(features, 'no_api', 'api_access')")
    await again("pnl", kept)
    other = (await sql_value(pg_url, "SELECT id FROM shops WHERE account_id = $1 AND id <> $2", account_id, shop_id))
    await sql(pg_url, "UPDATE memberships SET role = 'analyst', shop_ids = $2 WHERE account_id = $1",
              account_id, str(other))
    await refused()
    await sql(pg_url, "UPDATE memberships SET role = 'owner', shop_ids = NULL WHERE account_id = $1", account_id)
    await again("pnl", kept)
    await sql(pg_url, "UPDATE users SET is_blocked = true WHERE id = (SELECT owner_id FROM accounts WHERE id = $1)",
              account_id)
    await refused()
    await sql(pg_url, "UPDATE users SET is_blocked = false WHERE id = (SELECT owner_id FROM accounts WHERE id = $1)",
              account_id)
    await again("pnl", kept)
    await sql(pg_url, "UPDATE api_tokens SET revoked_at = now() WHERE account_id = $1", account_id)
    await refused()
    await refused()  # and again: a refusal is never kept

    # time alone: the subscription ends (the trial's end), with the answer kept a moment before
    await sql(pg_url, "UPDATE api_tokens SET revoked_at = NULL WHERE account_id = $1", account_id)
    await again("pnl", kept)
    async with deps.uow() as uow:
        ends = (await uow.subscriptions.of_account(account_id)).ends_at
    clock.moment = ends - dt.timedelta(seconds=30)
    kept = (await get("pnl"))[1]  # (built again if Moscow's midnight came between)
    await again("pnl", kept)
    clock.moment = ends + dt.timedelta(seconds=1)  # 31 s on: the trial is over (the account reads on, read-only)
    before = built[0]
    assert await get("pnl") == (200, kept) and built[0] == before + 1  # the entitlement was checked again

    # a month without its pack (rows written, the pack not yet): such an answer is never kept
    await sql(pg_url, "DELETE FROM sku_monthly_packs WHERE shop_id = $1 AND month = '2026-02-01'", shop_id)
    for _ in range(2):
        before = built[0]
        assert (await get("pnl"))[0] == 200 and built[0] == before + 1


async def sql_value(url: str, statement: str, *args: object) -> object:
    conn = await asyncpg.connect(dsn(url))
    try:
        return await conn.fetchval(statement, *args)
    finally:
        await conn.close()
