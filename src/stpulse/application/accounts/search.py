"""One search box over what the user may see. Each source plugs in as a SearchProvider and answers only within
the member's shop access; matching folds case in Python or in the database's `lower()` (Cyrillic and Latin)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import AccountsUnitOfWork, SearchHit, SearchProvider
from stpulse.application.accounts.shop_access import only_visible, visible_shops

MAX_HITS = 30
MAX_PRODUCTS = 10  # so a word found in many names leaves room for the other sources


class ShopSearch:
    async def search(self, uow: AccountsUnitOfWork, actor: Actor, query: str) -> Sequence[SearchHit]:
        shops = only_visible(actor, await uow.shops.search(actor.account_id, query, MAX_HITS))
        return [SearchHit(kind="Магазин", title=s.name, url=f"/app/shops/{s.id}", snippet=f"Client-Id {s.client_id}")
                for s in shops]


class ProductSearch:
    """Products of the shops the member sees, by offer_id, name or Ozon SKU; a hit opens the product's costs."""

    async def search(self, uow: AccountsUnitOfWork, actor: Actor, query: str) -> Sequence[SearchHit]:
        shops = {s.id: s.name for s in await visible_shops(uow, actor)}
        items = await uow.shops.search_products(list(shops), query, MAX_PRODUCTS)
        return [SearchHit(kind="Товар", title=f"{c.offer_id} — {c.name}" if c.name else c.offer_id,
                          url=f"/app/costs?{urlencode({'q': c.offer_id})}", snippet=f"SKU {c.sku} · {shops[c.shop_id]}")
                for c in items]


class PageSearch:
    async def search(self, uow: AccountsUnitOfWork, actor: Actor, query: str) -> Sequence[SearchHit]:
        pages = await uow.pages.search(query, MAX_HITS)
        return [SearchHit(kind="Справка", title=p.title, url=f"/pages/{p.slug}", snippet=p.body_markdown[:160])
                for p in pages if p.published]


class Destination(msgspec.Struct, frozen=True, kw_only=True):
    """A fixed place of the cabinet (a report, a settings page) and the words it is found by."""

    kind: str  # «Отчёт», «Настройки»
    title: str
    url: str
    words: str = ""  # other names, Latin and Cyrillic


class DestinationSearch:
    """Reports and settings pages, matched by title or words in any case (Python's folding: Cyrillic too)."""

    def __init__(self, destinations: Sequence[Destination]) -> None:
        self.destinations = tuple(destinations)

    async def search(self, uow: AccountsUnitOfWork, actor: Actor, query: str) -> Sequence[SearchHit]:
        q = query.casefold()
        return [SearchHit(kind=d.kind, title=d.title, url=d.url) for d in self.destinations  # words may be Latin
                if q in d.title.casefold() or q in d.words.casefold()]


DEFAULT_PROVIDERS: tuple[SearchProvider, ...] = (ShopSearch(), ProductSearch(), PageSearch())


async def search_cabinet(deps: AccountsDeps, actor: Actor, query: str,
                         providers: Sequence[SearchProvider] = DEFAULT_PROVIDERS) -> list[SearchHit]:
    text = (query or "").strip()[:100]
    if len(text) < 2:
        return []
    hits: list[SearchHit] = []
    async with deps.uow() as uow:
        for provider in providers:
            hits.extend(await provider.search(uow, actor, text))
    return hits[:MAX_HITS]
