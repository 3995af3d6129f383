"""Admin: the editable mapping «Ozon accrual type → P&L article» and the queue of unmapped types."""

from __future__ import annotations

import msgspec

from stpulse.application.ledger.deps import LedgerDeps
from stpulse.application.ledger.ports import UnmappedType
from stpulse.domain.accounts.users import User
from stpulse.domain.kernel.errors import PermissionDenied, ValidationError
from stpulse.domain.ledger.articles import ARTICLES, MAPPABLE

ARTICLE_CHOICES = tuple((a.code, a.name) for a in ARTICLES if a.code in MAPPABLE)


class LedgerScreen(msgspec.Struct, frozen=True, kw_only=True):
    mapping: dict[int, str]
    unmapped: tuple[UnmappedType, ...]


def _admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied()


async def ledger_screen(deps: LedgerDeps, admin: User) -> LedgerScreen:
    _admin(admin)
    async with deps.uow() as uow:
        mapping = await uow.ledger.mapping()
        unmapped = await uow.ledger.unmapped(mapping)
    return LedgerScreen(mapping=dict(sorted(mapping.articles.items())), unmapped=tuple(unmapped))


async def map_type(deps: LedgerDeps, admin: User, type_id: int, article: str) -> None:
    """Map (or re-map) a type. Rollups of affected shops must then be rebuilt from accrual_lines by the sync."""
    _admin(admin)
    if type_id < 0:
        raise ValidationError({"type_id": "Тип начисления — неотрицательное число"})
    async with deps.uow() as uow:
        mapping = (await uow.ledger.mapping()).with_changes({type_id: article})  # unknown article → ValidationError
        await uow.ledger.save(mapping, deps.clock.now())
        await uow.audit.record(admin.id, "ledger.map", f"type:{type_id}", article, deps.clock.now())
        await uow.commit()


