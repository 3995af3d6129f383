"""Postings (FBO, FBS) and returns: offset / last_id paging over ranges of any length."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import AsyncIterator
from typing import Protocol

from stpulse.adapters.ozon import mapping as m
from stpulse.adapters.ozon import paging as pg
from stpulse.adapters.ozon import wire_catalog as w
from stpulse.adapters.ozon.client import OzonHttp
from stpulse.adapters.ozon.convert import rfc3339
from stpulse.application.ozon_ports import OzonUnavailable
from stpulse.application.ozon_records import Posting, ReturnRecord

FBO = "/v2/posting/fbo/list"
FBS = "/v3/posting/fbs/list"
RETURNS = "/v1/returns/list"
_SMALLEST_WINDOW = dt.timedelta(minutes=1)


class _PageFetcher(Protocol):
    async def __call__(
        self, lo: dt.datetime, hi: dt.datetime, offset: int
    ) -> tuple[list[Posting], bool]: ...


class OrderCalls:
    _http: OzonHttp

    def postings_fbo(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]:
        return _postings(self._fbo_page, since, to)

    def postings_fbs(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]:
        return _postings(self._fbs_page, since, to)

    async def _fbo_page(self, lo: dt.datetime, hi: dt.datetime, offset: int) -> tuple[list[Posting], bool]:
        body = _posting_body(lo, hi, offset) | {"translit": False}
        answer = await self._http.post_as(FBO, body, w.FboList)
        raws = answer.result or []
        # v2 has no has_next: a full page means there may be more.
        return [m.posting(raw, "FBO", FBO) for raw in raws], len(raws) >= pg.POSTINGS_LIMIT

    async def _fbs_page(self, lo: dt.datetime, hi: dt.datetime, offset: int) -> tuple[list[Posting], bool]:
        answer = await self._http.post_as(FBS, _posting_body(lo, hi, offset), w.FbsList)
        result = answer.result or w.FbsResult()
        raws = result.postings or []
        return [m.posting(raw, "FBS", FBS) for raw in raws], bool(result.has_next and raws)

    async def returns(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[ReturnRecord]]:
        """Returns created in the period (`logistic_return_date`), by `last_id` = id of the last return."""
        period = {"time_from": rfc3339(since), "time_to": rfc3339(to)}
        last_id = 0
        while True:
            body = {"filter": {"logistic_return_date": period}, "limit": pg.RETURNS_LIMIT, "last_id": last_id}
            answer = await self._http.post_as(RETURNS, body, w.ReturnsList)
            records = [m.return_record(raw, RETURNS) for raw in answer.returns or []]
            if records:
                yield records
            if not records or not answer.has_next or records[-1].id == last_id:
                return
            last_id = records[-1].id


def _posting_body(lo: dt.datetime, hi: dt.datetime, offset: int) -> dict:
    return {
        "dir": "ASC",
        "filter": {"since": rfc3339(lo), "to": rfc3339(hi)},
        "limit": pg.POSTINGS_LIMIT,
        "offset": offset,
        "with": {"analytics_data": True, "financial_data": True},
    }


async def _postings(fetch: _PageFetcher, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]:
    """Windows of ≤ 1 year, offset paging inside each. A window with more postings than the offset cap
    allows is split in two and read again; postings already yielded are skipped (by posting number),
    as are postings on a boundary instant shared by two windows."""
    seen: set[str] = set()
    windows = deque(pg.span_chunks(since, to, pg.POSTINGS_MAX_SPAN))
    while windows:
        lo, hi = windows.popleft()
        offset, more = 0, True
        while more:
            if offset > pg.POSTINGS_MAX_OFFSET:
                windows.extendleft(reversed(_split(lo, hi)))
                break
            postings, more = await fetch(lo, hi, offset)
            fresh = [p for p in postings if p.posting_number not in seen]
            seen.update(p.posting_number for p in fresh)
            if fresh:
                yield fresh
            offset += pg.POSTINGS_LIMIT


def _split(lo: dt.datetime, hi: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    if hi - lo < _SMALLEST_WINDOW:
        raise OzonUnavailable(
            "Ozon вернул слишком много отправлений за одну минуту, чтобы выгрузить их постранично. "
            "Напишите в поддержку.", path=FBO,
        )
    return pg.halves(lo, hi)
