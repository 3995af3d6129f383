"""Issue 11: a report's data age is the oldest last successful sync of its shops, in Moscow time."""

from __future__ import annotations

import datetime as dt
import uuid

from stpulse.domain.ledger.shops import Shop, data_age


def _shop(name: str, synced: dt.datetime | None) -> Shop:
    return Shop(id=uuid.uuid4(), account_id=uuid.uuid4(), name=name, client_id="1", last_synced_at=synced)


def test_the_oldest_sync_of_the_selected_shops_in_moscow_time():
    a = _shop("А", dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.UTC))
    b = _shop("Б", dt.datetime(2026, 11, 30, 19, 30, tzinfo=dt.UTC))
    assert data_age([b, a]) == "Данные Ozon на 30.11.2026 21:00 МСК"
    assert data_age([b]) == "Данные Ozon на 30.11.2026 22:30 МСК"


def test_a_shop_never_synced_is_named():
    assert data_age([_shop("А", dt.datetime(2026, 11, 30, tzinfo=dt.UTC)), _shop("Новый", None)]) == (
        "Данные Ozon ещё не загружены: «Новый»")
    assert data_age([]) == ""
