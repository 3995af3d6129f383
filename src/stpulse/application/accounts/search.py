"""One search box over what the user may see. Each source plugs in as a SearchProvider."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import AccountsUnitOfWork, SearchHit, SearchProvider
from stpulse.application.accounts.shop_access import may_see

MAX_HITS = 20


class ShopSearch:
    async def search(self, uow: AccountsUnitOfWork, account_id: uuid.UUID, query: str) -> Sequence[SearchHit]:
        shops = await uow.shops.search(account_id, query, MAX_HITS)
        return [SearchHit(kind="Магазин", title=s.name, url=f"/app/shops/{s.id}", snippet=f"Client-Id {s.client_id}")
                for s in shops]


class PageSearch:
    async def search(self, uow: AccountsUnitOfWork, account_id: uuid.UUID, query: str) -> Sequence[SearchHit]:
        pages = await uow.pages.search(query, MAX_HITS)
        return [SearchHit(kind="Справка", title=p.title, url=f"/pages/{p.slug}", snippet=p.body_markdown[:160])
                for p in pages if p.published]


DEFAULT_PROVIDERS: tuple[SearchProvider, ...] = (ShopSearch(), PageSearch())


async def search_cabinet(deps: AccountsDeps, actor: Actor, query: str,
                         providers: Sequence[SearchProvider] = DEFAULT_PROVIDERS) -> list[SearchHit]:
    text = (query or "").strip()[:100]
    if len(text) < 2:
        return []
    hits: list[SearchHit] = []
    async with deps.uow() as uow:
        for provider in providers:
            hits.extend(await provider.search(uow, actor.account_id, text))
    visible = [h for h in hits if h.kind != "Магазин" or _shop_visible(actor, h.url)]
    return visible[:MAX_HITS]


def _shop_visible(actor: Actor, url: str) -> bool:
    return may_see(actor, uuid.UUID(url.rsplit("/", 1)[-1]))
