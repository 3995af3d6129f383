"""An admin's mapping change reaching past months: the days holding lines of the remapped type are rolled up
again from the stored lines, a shop's month per transaction, with the progress on the type's `Remap`.

Idempotent: a redelivered message starts over and writes the same rows (the rollup of a day is a function of
its stored lines and the mapping)."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import groupby

import msgspec

from stpulse.application.ozon.deps import OzonDeps
from stpulse.application.ozon.rollup_writer import write_rollups


async def recalculate_type(deps: OzonDeps, type_id: int) -> None:
    async with deps.uow() as uow:
        remap = next((r for r in await uow.ledger.remaps() if r.type_id == type_id), None)
        if remap is None or remap.finished_at is not None:
            return
        mapping = await uow.ledger.mapping()
        found = await uow.facts.days_with_type(type_id)
    months: list[tuple[uuid.UUID, list[dt.date]]] = [
        (shop, [d for _, d in group]) for (shop, _), group in groupby(found, key=lambda x: (x[0], x[1].replace(day=1)))]
    remap = msgspec.structs.replace(remap, months_done=0, months_total=len(months))
    for done, (shop_id, days) in enumerate(months, start=1):
        remap = msgspec.structs.replace(remap, months_done=done)
        async with deps.uow() as uow:
            await write_rollups(uow.facts, shop_id, days, await uow.facts.lines_on(shop_id, days), mapping)
            await uow.ledger.save_remap(remap)
            await uow.commit()
    async with deps.uow() as uow:
        await uow.ledger.save_remap(msgspec.structs.replace(remap, finished_at=deps.clock.now()))
        await uow.commit()
