"""The two levels of finished report tables (application/reports/cache.py) and the Redis adapter's encoding."""

from __future__ import annotations

import asyncio
import uuid

from stpulse.adapters.cache.redis_tables import decode_table, encode_table
from stpulse.application.reports.cache import ReportCache, TableCache, table_key
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table

TABLE = Table(code="pnl", title="ОПиУ", period="2026-01 — 2026-02", first_header="Статья",
              columns=(Column(code="2026-01", label="Январь"), Column(code="m", label="Маржа", kind=Kind.PERCENT)),
              rows=(Row(code="revenue", label="Выручка", kind=Kind.MONEY, values=(1_000_00, None), total=1_000_00,
                        highlight=Highlight.WARNING, marks=(None, Highlight.LOSS), drill=True),),
              warnings=("Нет себестоимости",))


class DictStore:
    """A shared store in memory (what Redis is to several processes)."""

    def __init__(self) -> None:
        self.items: dict[str, Table] = {}

    async def get(self, key: str) -> Table | None:
        return self.items.get(key)

    async def put(self, key: str, table: Table) -> None:
        await asyncio.sleep(0)  # a round trip: the writer yields, as Redis makes it
        self.items[key] = table


async def test_a_table_put_by_one_process_is_a_shared_hit_of_another_and_kept_there():
    shared = DictStore()
    worker, web = ReportCache(TableCache(), shared), ReportCache(TableCache(), shared)
    assert await web.get("k") is None and (web.shared_hits, web.shared_misses) == (0, 1)
    await worker.put("k", TABLE)
    assert await web.get("k") is TABLE and (web.shared_hits, web.shared_misses) == (1, 1)
    assert await web.get("k") is TABLE and web.shared_hits == 1 and web.local.hits == 1  # now from its own level


async def test_a_request_writes_the_shared_copy_behind_its_answer_and_the_warm_job_waits_for_it():
    shared = DictStore()
    web = ReportCache(TableCache(), shared)
    await web.put("k", TABLE, behind=True)
    assert web.local.get("k") is TABLE and "k" not in shared.items  # this process has it at once; the copy follows
    await web.flushed()
    assert shared.items["k"] is TABLE
    await web.put("w", TABLE)  # not behind (the worker's warm job): stored when put returns
    assert shared.items["w"] is TABLE
    await web.flushed()  # nothing pending: returns at once


async def test_without_a_shared_store_only_the_process_level_counts():
    cache = ReportCache(TableCache())
    await cache.put("k", TABLE)
    assert await cache.get("k") is TABLE and (cache.shared_hits, cache.shared_misses) == (0, 0)


def test_the_key_is_the_same_text_in_every_process_and_changes_with_each_part():
    shops = [Shop(id=uuid.UUID(int=1), account_id=uuid.UUID(int=9), name="А", client_id="1")]
    args = ("pnl", uuid.UUID(int=9), shops, shops, (672, 673), "revenue", "fp1")
    key = table_key(*args)  # type: ignore[arg-type]
    assert key == table_key(*args) and key.startswith("pnl:")  # type: ignore[arg-type]
    for i, other in ((0, "unit"), (4, (672, 672)), (5, "units"), (6, "fp2")):
        assert table_key(*args[:i], other, *args[i + 1:]) != key  # type: ignore[arg-type]


def test_a_table_survives_the_store_encoding_exactly():
    assert decode_table(encode_table(TABLE)) == TABLE
