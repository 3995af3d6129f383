"""Trial eligibility: one trial per user and one per Ozon Client-Id, whoever used it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import msgspec

from stpulse.domain.kernel.errors import Conflict


class TrialRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A trial that was started: by whom and for which Ozon Client-Ids (may be none yet)."""

    user_id: uuid.UUID
    client_ids: frozenset[str] = frozenset()
    started_at: dt.datetime


def _normalise(client_id: str) -> str:
    return client_id.strip()


def check_trial_eligibility(
    user_id: uuid.UUID, client_ids: Iterable[str], history: Iterable[TrialRecord]
) -> None:
    """Raise `Conflict` if this user, or any of these Ozon Client-Ids, already had a trial."""
    wanted = {_normalise(c) for c in client_ids if c.strip()}
    for record in history:
        if record.user_id == user_id:
            raise Conflict("Пробный период уже был использован в этом аккаунте")
        taken = wanted & {_normalise(c) for c in record.client_ids}
        if taken:
            raise Conflict(
                f"Для магазина Ozon с Client-Id {min(taken)} пробный период уже использован. "
                "Оформите подписку, чтобы продолжить"
            )


def is_trial_eligible(user_id: uuid.UUID, client_ids: Iterable[str], history: Iterable[TrialRecord]) -> bool:
    try:
        check_trial_eligibility(user_id, client_ids, history)
    except Conflict:
        return False
    return True
