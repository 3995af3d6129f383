"""«Выкупы Озоном»: goods Ozon bought out (`/v1/finance/products/buyout`, at most 31 days an answer) as a sync source.

The answer gives no date per line. The run's days are cut into windows of a calendar month at most; a window
Ozon answers empty (most sellers, most months) costs one request. A window with lines is asked again day by day,
so every line is dated by the day whose answer carried it and the rollups (article «buyouts», their own rows:
accrual writes never touch them) fall on the right day and month. Odd answers are counted once and flagged for the
admin's «аномалии»: a line repeated (in an answer or across days) is one line; a line the window gave and no
day did is put on the window's last day; the adapter's own doubts (no amount: price × quantity) come along.

Each window is written with the run's `buyouts_through` in one transaction, so an interrupted run resumes after
the last window written, and writing a window again replaces it (nothing counted twice).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stpulse.application.ozon.records import BuyoutRow, DatedBuyout
from stpulse.application.ozon.sync_plan import chunks, days
from stpulse.domain.ledger.articles import Source
from stpulse.domain.ledger.rollup_sources import Buyout, rollup_from_buyouts

if TYPE_CHECKING:
    from stpulse.application.ozon.ports import OzonSellerApi
    from stpulse.application.ozon.sources import SourceJob, Span

WINDOW_DAYS = 31  # Ozon: «Максимальный период — 31 день»


def windows(first: dt.date, last: dt.date) -> list[list[dt.date]]:
    """The days first..last in runs that never cross a month (so at most 31 days, Ozon's limit)."""
    return list(chunks(days(first, last), WINDOW_DAYS))


async def fetch_window(api: OzonSellerApi, window: Sequence[dt.date]) -> list[DatedBuyout]:
    """The window's lines, each dated by the day whose answer carried it, every line once (see the module)."""
    first, last = window[0], window[-1]
    whole = await api.products_buyout(first, last)
    if not whole:
        return []
    answers = await asyncio.gather(*(api.products_buyout(day, day) for day in window))
    dated = [DatedBuyout(day=day, row=row) for day, rows in zip(window, answers, strict=True) for row in rows]
    left = Counter(_key(d.row) for d in dated)
    for row in whole:
        if left[_key(row)] > 0:
            left[_key(row)] -= 1
            continue
        dated.append(DatedBuyout(day=last, row=row, anomalies=(
            f"Выкуп {row.posting_number}, SKU {row.sku}: есть в ответе за {first:%d.%m.%Y}–{last:%d.%m.%Y}, "
            f"но ни в одном ответе за день; отнесён на {last:%d.%m.%Y}",)))
    return once(dated)


def once(dated: Sequence[DatedBuyout]) -> list[DatedBuyout]:
    """One line per posting and SKU (the last copy wins); a repeated line is flagged, never counted twice."""
    seen: dict[tuple[str, int], DatedBuyout] = {}
    for d in dated:
        key = _key(d.row)
        if key in seen:
            d = DatedBuyout(day=d.day, row=d.row, anomalies=(*d.anomalies, (
                f"Выкуп {d.row.posting_number}, SKU {d.row.sku}: Ozon прислал строку повторно; учтена один раз")))
        seen[key] = d
    return list(seen.values())


def _key(row: BuyoutRow) -> tuple[str, int]:
    return row.posting_number, row.sku


def write_window(shop_id: Any, window: Sequence[dt.date],
                 dated: Sequence[DatedBuyout]) -> Callable[[Any], Awaitable[None]]:
    """The window's lines and raw answers, then its buyout rollups by day and the months they touch."""
    first, last = window[0], window[-1]
    rollup = rollup_from_buyouts([Buyout(date=d.day, posting_number=d.row.posting_number, sku=d.row.sku,
                                         offer_id=d.row.offer_id, quantity=d.row.quantity,
                                         buyout_price=d.row.buyout_price, amount=d.row.amount) for d in dated], 0)

    async def write(uow: Any) -> None:
        await uow.facts.write_buyouts(shop_id, first, last, dated)
        await uow.facts.write_daily_rollups(shop_id, set(window), rollup, Source.BUYOUTS)
        await uow.facts.rebuild_monthly(shop_id, sorted({d.replace(day=1) for d in window}))

    return write


@dataclass(frozen=True)
class BuyoutSource:
    """The registry entry's shape for buyouts: windows with their own checkpoint (`SyncRun.buyouts_through`)."""

    code: str
    step: str
    weight: int

    async def run(self, job: SourceJob, span: Span) -> None:
        run = job.run_state
        start = run.date_from
        if run.buyouts_through is not None and run.buyouts_through >= run.date_from:
            start = run.buyouts_through + dt.timedelta(days=1)
        if start > run.date_to:
            return
        total = (run.date_to - run.date_from).days + 1
        await job.save(None, step=f"{self.step} с {start:%d.%m.%Y}", percent=span.start)
        for window in windows(start, run.date_to):
            dated = await fetch_window(job.api, window)
            last = window[-1]
            await job.save(write_window(job.shop_id, window, dated), buyouts_through=last,
                           percent=span.at(((last - run.date_from).days + 1) / total),
                           step=f"{self.step} по {last:%d.%m.%Y}")
