"""The operator's report for one shop (CLI): the same use case, acting as the shop's account owner."""

from __future__ import annotations

import uuid

from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.reports.table import Table


async def owner_actor(deps: ReportsDeps, shop_id: uuid.UUID) -> Actor:
    async with deps.uow() as uow:
        shop = await uow.report_data.shop_anywhere(shop_id)
        account = await uow.accounts.get(shop.account_id) if shop else None
        owner = await uow.users.get(account.owner_id) if account else None
        memberships = await uow.memberships.for_user(owner.id) if owner else []
    membership = next((m for m in memberships if account and m.account_id == account.id), None)
    if owner is None or account is None or membership is None:
        raise NotFound(f"Магазин {shop_id} не найден")
    return Actor(user=owner, account=account, membership=membership)


async def shop_report(deps: ReportsDeps, code: str, shop_id: uuid.UUID, month_from: str, month_to: str) -> Table:
    actor = await owner_actor(deps, shop_id)
    view = await build_report(deps, actor, code, ReportRequest(shop_ids=(shop_id,), month_from=month_from,
                                                               month_to=month_to), operator=True)
    if view.table is None:
        raise NotFound(f"Магазин {shop_id} не найден")
    return view.table
