"""Which shops a member may touch: the one place where a membership's shop restriction is enforced.

Every use case that takes a shop (shops, sync, expenses, costs, reports, search, the JSON API) finds it through
`require_shop` or lists shops through `visible_shops`. A shop of another account and a shop outside the
member's restriction are the same to the caller: not found (404), so a restricted member learns nothing of it.
Writes that touch every shop at once (an account-wide expense, connecting a new shop) need unrestricted access.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Protocol

from stpulse.application.accounts.actor import Actor
from stpulse.application.ledger.ports import ShopRepository
from stpulse.domain.kernel.errors import NotFound, PermissionDenied
from stpulse.domain.ledger.shops import Shop

SHOP_NOT_FOUND = "Магазин не найден"


class WithShops(Protocol):
    """Any context's unit of work that can read shops."""

    @property
    def shops(self) -> ShopRepository: ...


def may_see(actor: Actor, shop: Shop | uuid.UUID) -> bool:
    shop_id = shop if isinstance(shop, uuid.UUID) else shop.id
    if not isinstance(shop, uuid.UUID) and shop.account_id != actor.account_id:
        return False
    return actor.membership.sees_shop(shop_id)


def only_visible(actor: Actor, shops: Iterable[Shop]) -> list[Shop]:
    return [s for s in shops if may_see(actor, s)]


async def visible_shops(uow: WithShops, actor: Actor) -> list[Shop]:
    """The account's shops this member may see (every shop for an unrestricted member)."""
    return only_visible(actor, await uow.shops.for_account(actor.account_id))


async def require_shop(uow: WithShops, actor: Actor, shop_id: uuid.UUID) -> Shop:
    shop = await uow.shops.get(actor.account_id, shop_id)
    if shop is None or not may_see(actor, shop):
        raise NotFound(SHOP_NOT_FOUND)
    return shop


def require_shop_id(actor: Actor, shop_id: uuid.UUID | None) -> None:
    """An object that belongs to one shop (or, with None, to the whole account) is within the member's reach."""
    if shop_id is None:
        require_every_shop(actor)
    elif not actor.membership.sees_shop(shop_id):
        raise NotFound(SHOP_NOT_FOUND)


def sees_every_shop(actor: Actor) -> bool:
    return actor.membership.shop_ids is None


def require_every_shop(actor: Actor) -> None:
    if not sees_every_shop(actor):
        raise PermissionDenied("Доступ открыт только к части магазинов: это действие затрагивает все магазины "
                               "аккаунта. Обратитесь к владельцу.")
