"""Admin: the «аномалии» list — what the Ozon adapter could not trust in the answers, with the records as sent.

The sync keeps such a record's money (the lines still add up to what the record says) and names the doubt here, so
an admin can see what Ozon sent instead of a silent zero or a stopped sync."""

from __future__ import annotations

import msgspec

from stpulse.application.ozon.deps import OzonDeps
from stpulse.application.ozon.ports import AccrualType
from stpulse.application.ozon.sync_ports import Anomaly
from stpulse.domain.accounts.users import User
from stpulse.domain.kernel.errors import PermissionDenied


class AnomalyRow(msgspec.Struct, frozen=True, kw_only=True):
    anomaly: Anomaly
    shop_name: str
    types: tuple[AccrualType, ...] = ()  # the record's accrual types with Ozon's names (bare id: not named yet)


async def list_anomalies(deps: OzonDeps, admin: User, limit: int = 500) -> list[AnomalyRow]:
    if not admin.is_admin:
        raise PermissionDenied()
    async with deps.uow() as unit:
        uow = unit
        anomalies = await uow.facts.anomalies(None, limit)
        known = await uow.facts.accrual_types()
        names = {}
        for shop_id in {a.shop_id for a in anomalies}:
            shop = await uow.shops.by_id(shop_id)
            names[shop_id] = shop.name if shop else str(shop_id)
    return [AnomalyRow(anomaly=a, shop_name=names[a.shop_id],
                       types=tuple(known.get(t) or AccrualType(id=t, name="", description="") for t in a.type_ids))
            for a in anomalies]
