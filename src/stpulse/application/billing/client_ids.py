"""Which Ozon Client-Ids are still free to start a trial: shown beside the sandbox's test sellers, so a newcomer
to the embedded mode does not pick one the demo (or anyone) has already used."""

from __future__ import annotations

import uuid
from enum import StrEnum

from stpulse.application.billing.deps import BillingDeps


class ClientIdUse(StrEnum):
    FREE = "free"
    MINE = "mine"  # connected or tried by this user: connecting it again is fine
    TRIAL = "trial"  # another user's trial used it
    SHOP = "shop"  # connected as a shop in another account


CLIENT_ID_USE_TITLES = {
    ClientIdUse.FREE: "свободен",
    ClientIdUse.MINE: "уже ваш",
    ClientIdUse.TRIAL: "занят: пробный период уже использован",
    ClientIdUse.SHOP: "занят: подключён в другом кабинете",
}


async def client_id_usage(deps: BillingDeps, user_id: uuid.UUID, account_id: uuid.UUID,
                          client_ids: frozenset[str]) -> dict[str, ClientIdUse]:
    """Each Client-Id's use: this user's own trial or shop, another user's trial, a shop elsewhere, or free."""
    async with deps.uow() as uow:
        trials = await uow.trials.matching(user_id, client_ids)
        connected = await uow.shops.connected_client_ids(client_ids)
        mine = {s.client_id for s in await uow.shops.for_account(account_id)}
    mine |= {c for t in trials if t.user_id == user_id for c in t.client_ids}
    tried = {c for t in trials if t.user_id != user_id for c in t.client_ids}
    return {c: _use(c, mine, tried, connected) for c in sorted(client_ids)}


def _use(client_id: str, mine: set[str], tried: set[str], connected: frozenset[str]) -> ClientIdUse:
    if client_id in mine:
        return ClientIdUse.MINE
    if client_id in tried:
        return ClientIdUse.TRIAL
    return ClientIdUse.SHOP if client_id in connected else ClientIdUse.FREE
