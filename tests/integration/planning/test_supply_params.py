"""Параметры поставок over HTTP on PostgreSQL: a file with errors is refused with errors by row and writes nothing,
a good file round-trips and changes the plan, and another account's products and shops stay out of reach."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import xlsxwriter
from bench.reports_stock import load_stock_history

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.planning.params import BOX, COVER, LEAD, MIN_ORDER, OFFER, SAFETY
from tests.integration.money.loader import add_shop, dsn, load_products
from tests.integration.web_helpers import csrf, sign_in, sign_up

TODAY = dt.date(2026, 9, 30)


def sheet(rows: list[list[object]], header: tuple[str, ...] = (OFFER, LEAD, COVER, SAFETY, BOX, MIN_ORDER)) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    wb.close()
    return buf.getvalue()


async def upload(client, data: bytes):  # type: ignore[no-untyped-def]
    return await client.post("/app/planning/params/import", files={"file": ("p.xlsx", data)},
                             headers=await csrf(client))


async def exported(client) -> list[tuple]:  # type: ignore[no-untyped-def]
    resp = await client.get("/app/planning/params/export.xlsx")
    assert resp.status_code == 200
    return [tuple(r) for r in openpyxl.load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True)]


async def _owner(app, client, mailbox, email: str, client_id: str, world: SellerWorld, pg_url: str):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, email, "Поставки")
    async with app.state.container.deps.uow() as uow:
        user = await uow.users.by_email(email)
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
    shop_id = await add_shop(pg_url, account_id, "Магазин", client_id)
    await load_products(pg_url, shop_id, world)
    return shop_id


async def test_params_file_errors_round_trip_and_tenancy(app, client, mailbox, pg_url):
    world = SellerWorld(11, "small", TODAY)
    shop_id = await _owner(app, client, mailbox, "supply@example.ru", "901", world, pg_url)
    await load_stock_history(dsn(pg_url), shop_id, world, TODAY - dt.timedelta(days=59), TODAY,
                             items_from=TODAY - dt.timedelta(days=59))
    a, b = world.catalog.offer_id(0), world.catalog.offer_id(1)
    before = await exported(client)
    assert before[0][:1] == (OFFER,) and len(before) == 1 + world.catalog.n

    bad = sheet([[a, 10, 20, 3, 6, 12],
                 ["НЕТ-ТАКОГО", 10, 20, 3, 6, 12],  # unknown offer_id
                 [b, -5, 20, 3, 6, 12],  # negative
                 [world.catalog.offer_id(2), "десять", 20, 3, 6, 12],  # text in a number
                 [a, 7, 7, 7, 1, 0]])  # a repeated offer_id
    resp = await upload(client, bad)
    assert resp.status_code == 422
    text = resp.text
    for row, words in ((3, "НЕТ-ТАКОГО"), (4, "отрицательное"), (5, "десять"), (6, "уже есть в строке 2")):
        assert f"Строка {row}:" in text and words in text, (row, words)
    assert "Строка 2:" not in text
    assert await exported(client) == before  # nothing written
    resp = await client.post("/app/planning/params/import", files={"file": ("p.xlsx", b"not a workbook")},
                             headers=await csrf(client))
    assert resp.status_code == 422 and "не файл Excel" in resp.text
    assert await exported(client) == before

    plan = "".join([(await client.get(f"/app/reports/supply?from=2026-09&to=2026-09&shops={shop_id}&page={n}")).text
                    for n in (1, 2, 3)])
    good = sheet([[a, 21, 45, 5, 12, 48], [b, 3, 7, 0, 1, 0]])
    resp = await upload(client, good)
    assert resp.status_code == 200 and "Сохранено строк: 2" in resp.text
    after = await exported(client)
    rows = {r[0]: r for r in after[1:]}
    assert rows[a][2:] == (21, 45, 5, 12, 48) and rows[b][2:] == (3, 7, 0, 1, 0)
    assert rows[world.catalog.offer_id(3)][2:] == (None,) * 5  # the defaults stay empty
    # the exported file imports back to the same parameters (round trip)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, r in enumerate(after):
        ws.write_row(i, 0, r)
    wb.close()
    assert (await upload(client, buf.getvalue())).status_code == 200
    assert await exported(client) == after
    new_plan = "".join([(await client.get(f"/app/reports/supply?from=2026-09&to=2026-09&shops={shop_id}&page={n}")).text
                        for n in (1, 2, 3)])
    assert new_plan != plan and "(21 + 45) дн" in new_plan and "(3 + 7) дн" in new_plan

    # another account: neither A's products, nor A's shop, nor A's stock
    other = SellerWorld(22, "small", TODAY)
    client.cookies.clear()
    await _owner(app, client, mailbox, "other-supply@example.ru", "902", other, pg_url)
    resp = await upload(client, sheet([[a, 10, 20, 3, 6, 12]]))
    assert resp.status_code == 422 and "не найден в ваших магазинах" in resp.text
    assert a not in {r[0] for r in await exported(client)}
    page = await client.get(f"/app/reports/stock?from=2026-09&to=2026-09&shops={shop_id}")
    assert a not in page.text
    await sign_in(client, "supply@example.ru")
