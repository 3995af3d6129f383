"""Supply parameters per SKU: xlsx import (every row checked, all or nothing), export, the list on the page."""

from __future__ import annotations

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import visible_shops
from stpulse.application.billing.policy import require_writable
from stpulse.application.planning.deps import PlanningDeps, PlanningUnitOfWork
from stpulse.application.planning.supply_ports import ParamsSheetWriter, SheetReader
from stpulse.domain.accounts.users import Permission
from stpulse.domain.planning.params import ParamIssue, SkuParams, validate_param_rows
from stpulse.domain.planning.supply import SupplyParams

DEFAULTS = SupplyParams()


class ParamsImportResult(msgspec.Struct, frozen=True, kw_only=True):
    saved: int
    errors: tuple[ParamIssue, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


async def _catalog(uow: PlanningUnitOfWork, actor: Actor) -> dict[str, str]:
    """offer_id → name of the products of the shops this member sees."""
    shops = await visible_shops(uow, actor)
    items = await uow.report_data.catalog([s.id for s in shops]) if shops else []
    return {c.offer_id: c.name for c in items}


async def import_params(deps: PlanningDeps, actor: Actor, data: bytes, reader: SheetReader) -> ParamsImportResult:
    """Read, check every row and — only when all are right — save. Raises UploadRefused for a file that is not
    an xlsx."""
    actor.membership.require(Permission.EDIT_DATA)
    async with deps.uow() as uow:  # an expired account is read-only: refused before the file is read
        await require_writable(uow, actor.account_id, deps.clock.now())
    rows = reader.read_rows(data)
    async with deps.uow() as uow:
        known = frozenset(await _catalog(uow, actor))
        params, errors = validate_param_rows(rows, known, DEFAULTS)
        if errors:
            return ParamsImportResult(saved=0, errors=tuple(errors))
        await uow.supply_params.replace(actor.account_id, params)
        await uow.commit()
    return ParamsImportResult(saved=len(params), errors=())


async def list_params(deps: PlanningDeps, actor: Actor) -> list[tuple[str, str, SkuParams | None]]:
    """Every product the member sees, with its own parameters (None: the defaults)."""
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        names = await _catalog(uow, actor)
        own = {p.offer_id: p for p in await uow.supply_params.all(actor.account_id)}
    return [(offer, names[offer], own.get(offer)) for offer in sorted(names)]


async def export_params(deps: PlanningDeps, actor: Actor, writer: ParamsSheetWriter) -> bytes:
    return writer.write_params(await list_params(deps, actor))
