"""The one way stored accrual lines become rollups: used by the sync for every chunk it writes and by an admin's
remap of an accrual type (`remap.py`), so both give the same rows for the same lines."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence

from stpulse.application.ozon.sync_ports import FactsStore
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.articles import LedgerMapping, Source
from stpulse.domain.ledger.rollup_sources import rollup_from_accruals


async def write_rollups(facts: FactsStore, shop_id: uuid.UUID, days: Collection[dt.date],
                        lines: Sequence[AccrualLine], mapping: LedgerMapping) -> None:
    """Replace the daily rollups of `days` by these lines (every line dated on them) and rebuild their months."""
    rollup = rollup_from_accruals(lines, mapping, 0).rollup
    await facts.write_daily_rollups(shop_id, days, rollup, Source.ACCRUALS)
    await facts.rebuild_monthly(shop_id, sorted({d.replace(day=1) for d in days}))
