"""Admin: the editable mapping «Ozon accrual type → P&L article» and the queue of unmapped types."""

from __future__ import annotations

import msgspec

from stpulse.application.ledger.deps import LedgerDeps
from stpulse.application.ledger.ports import Remap, UnmappedType
from stpulse.domain.accounts.users import User
from stpulse.domain.kernel.errors import PermissionDenied, ValidationError
from stpulse.domain.ledger.articles import ARTICLES, MAPPABLE, LedgerMapping

RECENT_REMAPS = 10
ARTICLE_CHOICES = tuple((a.code, a.name) for a in ARTICLES if a.code in MAPPABLE)


class LedgerScreen(msgspec.Struct, frozen=True, kw_only=True):
    mapping: dict[int, str]
    unmapped: tuple[UnmappedType, ...]
    remaps: tuple[Remap, ...] = ()  # the latest recalculations, the newest first

    @property
    def recalculating(self) -> bool:
        return any(r.finished_at is None for r in self.remaps)


def _admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied()


async def ledger_screen(deps: LedgerDeps, admin: User) -> LedgerScreen:
    _admin(admin)
    async with deps.uow() as uow:
        mapping = await uow.ledger.mapping()
        remaps = await uow.ledger.remaps()
        pending = {r.type_id for r in remaps if r.finished_at is None and r.was_unmapped}
        # a type mapped out of the queue stays in it until its past months are recalculated
        queued = LedgerMapping(articles={t: a for t, a in mapping.articles.items() if t not in pending})
        unmapped = await uow.ledger.unmapped(queued)
    return LedgerScreen(mapping=dict(sorted(mapping.articles.items())), unmapped=tuple(unmapped),
                        remaps=tuple(remaps[:RECENT_REMAPS]))


async def remaps_progress(deps: LedgerDeps, admin: User) -> tuple[Remap, ...]:
    _admin(admin)
    async with deps.uow() as uow:
        return tuple((await uow.ledger.remaps())[:RECENT_REMAPS])


async def map_type(deps: LedgerDeps, admin: User, type_id: int, article: str) -> None:
    """Map (or re-map) a type; a job recalculates every stored month holding its lines (`ozon/remap.py`)."""
    _admin(admin)
    if type_id < 0:
        raise ValidationError({"type_id": "Тип начисления — неотрицательное число"})
    now = deps.clock.now()
    async with deps.uow() as uow:
        before = await uow.ledger.mapping()
        mapping = before.with_changes({type_id: article})  # unknown article → ValidationError
        await uow.ledger.save(mapping, now)
        await uow.ledger.save_remap(Remap(type_id=type_id, article=article, started_at=now,
                                          was_unmapped=type_id not in before.articles))
        await uow.audit.record(admin.id, "ledger.map", f"type:{type_id}", article, now)
        await uow.commit()
    deps.jobs.enqueue("recalculate_type", type_id=str(type_id))
