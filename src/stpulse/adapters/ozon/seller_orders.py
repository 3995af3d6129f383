"""Postings (FBO, FBS) by cursor, returns by `last_id`, over ranges of any length."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator

from stpulse.adapters.ozon import mapping as m
from stpulse.adapters.ozon import paging as pg
from stpulse.adapters.ozon import wire_catalog as w
from stpulse.adapters.ozon.client import OzonHttp
from stpulse.adapters.ozon.convert import rfc3339
from stpulse.application.ozon.records import Posting, ReturnRecord

FBO = "/v3/posting/fbo/list"
FBS = "/v4/posting/fbs/list"
RETURNS = "/v1/returns/list"
_EDGE = dt.timedelta(seconds=1)  # postings this close to a window's end may show up in the next window too

log = logging.getLogger(__name__)


class OrderCalls:
    _http: OzonHttp

    def postings_fbo(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]:
        return self._postings(FBO, "FBO", since, to)

    def postings_fbs(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]:
        return self._postings(FBS, "FBS", since, to)

    async def _postings(self, path: str, scheme: str, since: dt.datetime, to: dt.datetime
                        ) -> AsyncIterator[list[Posting]]:
        """Windows of < 1 year (Ozon refuses longer periods), cursor paging inside each. Neighbouring windows
        share their boundary instant, so a posting on it could come twice: the previous window's postings near
        its end are remembered and skipped (only those: a year of postings is not kept in memory)."""
        edge: set[str] = set()
        for lo, hi in pg.span_chunks(since, to, pg.POSTINGS_MAX_SPAN):
            near_end: set[str] = set()
            async for postings in self._window(path, scheme, lo, hi):
                fresh = [p for p in postings if p.posting_number not in edge]
                near_end.update(p.posting_number for p in fresh if _near(p, hi))
                if fresh:
                    yield fresh
            edge = near_end

    async def _window(self, path: str, scheme: str, lo: dt.datetime, hi: dt.datetime
                      ) -> AsyncIterator[list[Posting]]:
        """Pages until `has_next` is false. A server that answers `has_next` with an empty page, or with a cursor
        it has already given (or none), is not followed: that would loop forever."""
        cursor, given = "", {""}
        period = {"since": rfc3339(lo), "to": rfc3339(hi)}
        while True:
            body = {
                "cursor": cursor,
                "filter": period,
                "limit": pg.POSTINGS_LIMIT,
                "sort_dir": "ASC",
                "with": {"analytics_data": True, "financial_data": True},
            }
            answer = await self._http.post_as(path, body, w.PostingPage)
            postings = [m.posting(raw, scheme, path) for raw in answer.postings or []]
            if postings:
                yield postings
            if not answer.has_next or not postings:
                return
            cursor = answer.cursor or ""
            if cursor in given:
                log.warning("ozon cursor did not move: path=%s client_id=%s since=%s to=%s",
                            path, self._http.client_id, period["since"], period["to"])
                return
            given.add(cursor)

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


def _near(p: Posting, moment: dt.datetime) -> bool:
    return any(t is not None and abs(t - moment) <= _EDGE for t in (p.created_at, p.in_process_at))
