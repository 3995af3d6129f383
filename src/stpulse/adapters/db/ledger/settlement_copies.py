"""Per-process copies of a period's settlement reads (`SettlementRepo.period_reads`), keyed by the shops' settlement
stamps in `content_versions` (migration 0020a: PostgreSQL's triggers renew a shop's stamp on every change of its
accrual day sums, realization reports, cash-flow periods or balances; a stamp never repeats).

The report's fingerprint statement reads the stamps with everything else (`stamps_expression`) and leaves them on the
session for its transaction (`remember`): the badge's reads of a cached report then cost no statement. Without a
stamp read in this transaction the reads go to the database as before. Copies are never changed by their readers."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Hashable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.application.ledger.settlement import SettlementReads

SCOPE = "settlement"
LIMIT = 256  # copies kept, least recently used dropped first
_COPIES: OrderedDict[Hashable, SettlementReads] = OrderedDict()
_MEMO = "stpulse.settlement_stamps"  # session.info: (transaction, shops, stamps) read by the fingerprint


def stamps_expression(shops: str = ":shops") -> str:
    """A scalar SQL expression: the settlement stamps of the shops (an SQL uuid[] parameter), '' when none."""
    return ("(SELECT coalesce(string_agg(key::text || '=' || stamp, ',' ORDER BY key), '') FROM content_versions "
            f"WHERE scope = '{SCOPE}' AND key = ANY(CAST({shops} AS uuid[])))")


def remember(session: AsyncSession, shop_ids: Sequence[uuid.UUID], stamps: str) -> None:
    session.info[_MEMO] = (session.sync_session.get_transaction(), tuple(sorted(shop_ids)), stamps)


def remembered(session: AsyncSession, shop_ids: Sequence[uuid.UUID]) -> str | None:
    """The stamps of exactly these shops as read in this session's transaction (one snapshot), or None."""
    memo = session.info.get(_MEMO)
    if memo is None or memo[0] is not session.sync_session.get_transaction() or memo[1] != tuple(sorted(shop_ids)):
        return None
    return str(memo[2])


def get(key: Hashable) -> SettlementReads | None:
    found = _COPIES.get(key)
    if found is not None:
        _COPIES.move_to_end(key)
    return found


def put(key: Hashable, reads: SettlementReads) -> None:
    _COPIES[key] = reads
    while len(_COPIES) > LIMIT:
        _COPIES.popitem(last=False)


def clear() -> None:
    _COPIES.clear()
