"""Себестоимость in the cabinet: the history per offer_id, edits, xlsx import/export, SKUs sold without a cost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import sees_every_shop, visible_shops
from stpulse.application.billing.policy import require_feature, require_writable
from stpulse.application.costs.cogs_import import CostImportResult, import_costs, parse_day, parse_money
from stpulse.application.costs.deps import CostsDeps
from stpulse.application.kernel.uploads import refuse_infected
from stpulse.application.reports.build import ReportQuery, ReportSources, load_inputs
from stpulse.application.reports.ports import CostSheetReader, CostSheetWriter
from stpulse.application.reports.sources import ShopKeys, UowReportSources
from stpulse.application.reports.views import ReportRequest
from stpulse.domain.accounts.users import Permission
from stpulse.domain.billing.tariffs import FEATURE_EXPORT
from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.reports.cube import build_cube
from stpulse.domain.reports.kinds import RollupGrain

COSTS_PAGE = 50  # offers a page of the list


class CostForm(msgspec.Struct, kw_only=True):
    offer_id: str = ""
    effective_from: str = ""
    purchase: str = ""
    delivery: str = ""
    packaging: str = ""
    marking: str = ""


class Uncosted(msgspec.Struct, frozen=True, kw_only=True):
    shop: str
    sku: int
    offer_id: str
    rows: int
    sold_units: int
    returned_units: int  # counted apart from the sales: a return of one SKU never nets against a sale of another
    revenue: int


async def cost_book(deps: CostsDeps, actor: Actor) -> CostBook:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        book = await uow.cost_prices.book(actor.account_id)
        offers = await _member_offers(uow, actor)
    return book if offers is None else CostBook(entries=tuple(e for e in book.entries if e.offer_id in offers))


async def _member_offers(uow: Any, actor: Actor) -> frozenset[str] | None:
    """The offer_ids of the member's shops; None for a member who sees every shop (the book is the account's)."""
    if sees_every_shop(actor):
        return None
    return frozenset(c.offer_id for c in await uow.report_data.catalog([s.id for s in await visible_shops(uow, actor)]))


async def _require_offer(uow: Any, actor: Actor, offer_id: str) -> None:
    offers = await _member_offers(uow, actor)
    if offers is not None and offer_id not in offers:
        raise ValidationError({"offer_id": "Артикул не найден в ваших магазинах"})


def _entry(form: CostForm) -> CostPrice:
    errors: dict[str, str] = {}
    day = parse_day(form.effective_from)
    if isinstance(day, str):
        errors["effective_from"] = day
    amounts: dict[str, int] = {}
    for name in ("purchase", "delivery", "packaging", "marking"):
        value = parse_money(getattr(form, name))
        if isinstance(value, str):
            errors[name] = value.capitalize()
        elif value is None and name == "purchase":
            errors[name] = "Укажите закупочную цену"
        else:
            amounts[name] = value or 0
    if not form.offer_id.strip():
        errors["offer_id"] = "Укажите артикул"
    if errors or isinstance(day, str):
        raise ValidationError(errors)
    return CostPrice(offer_id=form.offer_id.strip(), effective_from=day, **amounts)


async def save_cost(deps: CostsDeps, actor: Actor, form: CostForm) -> CostPrice:
    actor.membership.require(Permission.EDIT_DATA)
    entry = _entry(form)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await _require_offer(uow, actor, entry.offer_id)
        (await uow.cost_prices.book(actor.account_id)).merged([entry])
        await uow.cost_prices.upsert(actor.account_id, [entry])
        await uow.audit.record(actor.user.id, "cost.save", entry.offer_id,
                               f"{entry.offer_id} с {entry.effective_from:%d.%m.%Y}", deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()
    return entry


async def delete_cost(deps: CostsDeps, actor: Actor, offer_id: str, effective_from: dt.date) -> None:
    actor.membership.require(Permission.EDIT_DATA)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await _require_offer(uow, actor, offer_id)
        await uow.cost_prices.delete(actor.account_id, offer_id, effective_from)
        await uow.audit.record(actor.user.id, "cost.delete", offer_id, f"{offer_id} с {effective_from:%d.%m.%Y}",
                               deps.clock.now(), account_id=actor.account_id)
        await uow.commit()


class _Catalog:
    def __init__(self, offers: frozenset[str]) -> None:
        self.offers = offers

    async def offer_ids(self, account_id: object) -> frozenset[str]:
        return self.offers

    async def products(self, shop_ids: object) -> list[Any]:
        return []


class _Costs:
    def __init__(self, uow: Any, account_id: Any) -> None:
        self.uow, self.account_id = uow, account_id

    async def cost_book(self, account_id: object) -> CostBook:
        return await self.uow.cost_prices.book(self.account_id)

    async def save_cost_prices(self, account_id: object, entries: Any) -> None:
        await self.uow.cost_prices.upsert(self.account_id, entries)


def _imported(result: CostImportResult) -> str:
    return f"строк: {len(result.entries)}"


async def import_cost_file(deps: CostsDeps, actor: Actor, data: bytes, reader: CostSheetReader) -> CostImportResult:
    """All rows or nothing: one transaction, committed only when every row is right."""
    actor.membership.require(Permission.EDIT_DATA)
    await refuse_infected(deps.scanner, data, "costs.xlsx", actor.user.id)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        shops = await visible_shops(uow, actor)
        offers = frozenset(c.offer_id for c in await uow.report_data.catalog([s.id for s in shops]))
        costs = _Costs(uow, actor.account_id)
        result = await import_costs(0, data, reader=reader, catalog=_Catalog(offers), costs=costs, writer=costs)
        if result.ok:
            await uow.audit.record(actor.user.id, "cost.import", "costs.xlsx", _imported(result), deps.clock.now(),
                                   account_id=actor.account_id)
            await uow.commit()
    return result


async def _catalog_names(uow: Any, actor: Actor) -> tuple[dict[str, str], dict[str, int]]:
    """(offer_id → product name, offer_id → Ozon SKU) of the shops the member sees."""
    catalog = await uow.report_data.catalog([s.id for s in await visible_shops(uow, actor)])
    return {c.offer_id: c.name for c in catalog}, {c.offer_id: c.sku for c in catalog}


async def export_costs(deps: CostsDeps, actor: Actor, writer: CostSheetWriter) -> bytes:
    """The book as the import template, with a line to fill in for every offer of the member's shops without a cost."""
    async with deps.uow() as uow:
        await require_feature(uow, actor.account_id, deps.clock.now(), FEATURE_EXPORT)
    book = await cost_book(deps, actor)
    async with deps.uow() as uow:
        names, _ = await _catalog_names(uow, actor)
    return writer.write_costs(book, names)


class CostRow(msgspec.Struct, frozen=True, kw_only=True):
    offer_id: str
    name: str
    sku: int
    latest: CostPrice | None  # None: no cost yet — the seller must fill it in


class CostList(msgspec.Struct, frozen=True, kw_only=True):
    rows: tuple[CostRow, ...]
    total: int  # rows that match the search
    missing: int  # of them, without a cost
    page: int
    pages: int


async def cost_list(deps: CostsDeps, actor: Actor, query: str = "", page: int = 1) -> CostList:
    """Every offer of the member's shops and of the book with its name and current cost, those without a cost first;
    `query` matches offer_id, name or SKU in any case."""
    book = await cost_book(deps, actor)
    async with deps.uow() as uow:
        names, skus = await _catalog_names(uow, actor)
    latest = {e.offer_id: e for e in sorted(book.entries, key=lambda e: e.effective_from)}
    q = query.strip().casefold()
    rows = [CostRow(offer_id=o, name=names.get(o, ""), sku=skus.get(o, 0), latest=latest.get(o))
            for o in set(names) | set(latest)]
    rows = sorted((r for r in rows if not q or q in r.offer_id.casefold() or q in r.name.casefold()
                   or q in str(r.sku)), key=lambda r: (r.latest is not None, r.offer_id))
    pages = max(1, -(-len(rows) // COSTS_PAGE))
    page = min(max(page, 1), pages)
    return CostList(rows=tuple(rows[(page - 1) * COSTS_PAGE:page * COSTS_PAGE]), total=len(rows),
                    missing=sum(1 for r in rows if r.latest is None), page=page, pages=pages)


async def uncosted_skus(deps: CostsDeps, actor: Actor, req: ReportRequest) -> list[Uncosted]:
    """SKUs sold in the period without a cost in force: units and revenue affected (never costed at 0 silently)."""
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        shops = await visible_shops(uow, actor)
        if not shops:
            return []
        keys = ShopKeys.of(shops)
        src = await UowReportSources(uow, actor.account_id, keys, shops, RollupGrain.BY_MONTH).prepare()
        query = ReportQuery(account_id=0, shop_ids=keys.keys, month_from=req.month_from, month_to=req.month_to)
        inputs = await load_inputs(query, ReportSources(rollups=src, catalog=src, costs=src, opex=src, tax=src, returns=src))
    cube = build_cube(inputs)
    offers = {(p.shop_id, p.sku): p.offer_id for p in inputs.products}
    out = []
    for i in map(int, (cube.uncosted[:, 0] > 0).nonzero()[0]):
        key, sku = int(cube.shop_ids[cube.sku_shop[i]]), int(cube.skus[i])
        out.append(Uncosted(shop=keys.shop(key).name, sku=sku, offer_id=offers.get((key, sku), ""),
                            rows=int(cube.uncosted[i, 0]), sold_units=int(cube.uncosted[i, 1]),
                            returned_units=int(cube.uncosted[i, 2]), revenue=int(cube.uncosted[i, 3])))
    return sorted(out, key=lambda u: -u.revenue)


def history_series(book: CostBook, offer_id: str) -> dict[str, Any]:
    """The cost price of an offer over time as numbers for the chart library (a step line drawn in the browser):
    the dates (ISO) and the total in kopecks from each date on."""
    history = book.history(offer_id)
    return {"offer_id": offer_id, "days": [e.effective_from.isoformat() for e in history],
            "totals": [e.total for e in history]}
