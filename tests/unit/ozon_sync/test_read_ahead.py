"""`read_ahead`: pages arrive in order, the next is fetched while one is handled, errors come through as
themselves after the pages before them, and leaving early stops the reader."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from stpulse.application.ozon.ports import OzonKeyInvalid
from stpulse.application.ozon.sync_steps import read_ahead


async def pages(n: int, log: list[str], fail_at: int | None = None) -> AsyncIterator[int]:
    for i in range(n):
        if i == fail_at:
            raise OzonKeyInvalid()
        log.append(f"fetched {i}")
        yield i
        await asyncio.sleep(0)


async def test_pages_come_in_order_and_the_next_is_fetched_while_one_is_handled() -> None:
    log: list[str] = []
    seen = []
    async for page in read_ahead(pages(5, log), depth=2):
        await asyncio.sleep(0.01)  # the write: the reader runs meanwhile
        log.append(f"handled {page}")
        seen.append(page)
    assert seen == [0, 1, 2, 3, 4]
    assert log.index("fetched 1") < log.index("handled 0")
    assert log.index("fetched 2") < log.index("handled 0")


async def test_an_error_comes_through_as_itself_after_the_pages_before_it() -> None:
    seen = []
    with pytest.raises(OzonKeyInvalid):
        async for page in read_ahead(pages(5, [], fail_at=3)):
            seen.append(page)
    assert seen == [0, 1, 2]


async def test_leaving_early_stops_the_reader() -> None:
    log: list[str] = []
    stream = read_ahead(pages(1000, log), depth=2)
    async for page in stream:
        if page == 1:
            break
    await stream.aclose()
    await asyncio.sleep(0.05)
    assert len(log) <= 5  # a couple read ahead, not the whole listing
