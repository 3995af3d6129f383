"""HTTP client of the Ozon Performance API: OAuth token cache, report queue, paced calls, classified errors.

One `PerformanceClient` per ad account (key); the factory shares the token cache, the report slots and the pacing
between every key it serves. The Client Secret and the token are sent only in the token request and the
Authorization header; nothing logged or raised here contains them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
import msgspec

from stpulse.adapters.ozon.performance_slots import ReportSlots, ReportSlotsLike
from stpulse.adapters.ozon.ratelimit import TokenBucket
from stpulse.application.ads.ports import (
    PerformanceCredentials,
    PerformanceError,
    PerformanceKeyInvalid,
    PerformanceLimit,
    PerformanceUnavailable,
)
from stpulse.domain.kernel.money import kopecks_from_decimal
from stpulse.domain.ledger.ad_stats import AdCampaignInfo, AdStat

log = logging.getLogger(__name__)
TOKEN_MARGIN = 60.0  # a token is renewed this long before Ozon's 1,800 s run out


class PerformanceSettings(msgspec.Struct, frozen=True, kw_only=True):
    base_url: str = "https://api-performance.ozon.ru"
    requests_per_second: float = 5.0  # synchronous calls per ad account, sustained
    burst: int = 3  # a report's status poll, download and the next report's request go at once
    max_attempts: int = 4
    backoff: float = 0.5
    first_poll: float = 1.0  # seconds before the first status poll while nothing is known of Ozon's pace
    poll_growth: float = 1.5
    poll_max: float = 30.0
    report_timeout: float = 1800.0
    timeout: float = 60.0


class Stats(msgspec.Struct, kw_only=True):
    requests: int = 0
    refusals_429: int = 0
    reports: int = 0


class Shared:
    """What every key of one factory shares: tokens per client_id, report slots, pacing, learned report times."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, slots: ReportSlotsLike | None = None) -> None:
        self.clock = clock
        self.tokens: dict[str, tuple[str, float]] = {}
        self.token_locks: dict[str, asyncio.Lock] = {}
        self.slots: ReportSlotsLike = slots if slots is not None else ReportSlots()
        self.buckets: dict[str, TokenBucket] = {}
        self.report_seconds: dict[str, float] = {}  # client_id → last report's generation time
        self.last_report_seconds: float | None = None
        self.stats = Stats()


class PerformanceClient:
    def __init__(self, http: httpx.AsyncClient, settings: PerformanceSettings, credentials: PerformanceCredentials,
                 shared: Shared, sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self._http, self._settings, self._cred, self._shared, self._sleep = http, settings, credentials, shared, sleep
        self._bucket = shared.buckets.setdefault(
            credentials.client_id, TokenBucket(settings.requests_per_second, settings.burst, sleep=sleep))

    def __repr__(self) -> str:
        return f"PerformanceClient({self._cred!r})"

    async def check(self) -> None:
        await self._token(renew=True)

    async def campaigns(self) -> list[AdCampaignInfo]:
        body = await self._call("GET", "/api/client/campaign")
        return [AdCampaignInfo(campaign_id=int(c["id"]), title=str(c.get("title", ""))[:300],
                               adv_type=str(c.get("advObjectType", "")), payment=str(c.get("paymentType", "")))
                for c in body.get("list", [])]

    async def statistics(self, campaign_ids: Sequence[int], date_from: dt.date, date_to: dt.date) -> list[AdStat]:
        """One asynchronous report (≤ 10 campaigns, ≤ 62 days), grouped by day, once the slots allow it."""
        request = {"campaigns": [str(c) for c in campaign_ids], "dateFrom": date_from.isoformat(),
                   "dateTo": date_to.isoformat(), "groupBy": "DATE"}
        async with self._shared.slots.hold(self._cred.client_id, self._cred.organisation):
            uuid = (await self._call("POST", "/api/client/statistics/json", request, retry=False))["UUID"]
            self._shared.stats.reports += 1
            waiting = asyncio.ensure_future(self._wait(uuid))
            try:
                await asyncio.shield(waiting)
            except asyncio.CancelledError:  # the caller gave up, but Ozon builds the report: its slot stays taken
                await asyncio.gather(waiting, return_exceptions=True)  # until Ozon says it is done (no 429 after)
                raise
        await asyncio.sleep(0)  # the slot is free: a report waiting for it is asked before this one downloads
        return parse_report(await self._call("GET", "/api/client/statistics/report", params={"UUID": uuid}))

    async def _wait(self, uuid: str) -> None:
        """Poll when Ozon is expected to be done: the last report's time, then growing steps."""
        s, shared = self._settings, self._shared
        guess = shared.report_seconds.get(self._cred.client_id, shared.last_report_seconds)
        wait, step, waited = (guess + 0.02 if guess is not None else s.first_poll), s.first_poll, 0.0
        while waited < s.report_timeout:
            await self._sleep(wait)
            waited += wait
            state = await self._call("GET", f"/api/client/statistics/{uuid}")
            if state.get("state") == "OK":
                self._learn(state)
                return
            if state.get("state") == "ERROR":
                raise PerformanceUnavailable(f"отчёт не сформирован: {str(state.get('error', ''))[:200]}")
            step = min(s.poll_max, step * s.poll_growth)
            wait = step if guess is None else max(0.1, (guess or 1.0) * 0.1)
        raise PerformanceUnavailable("отчёт формируется слишком долго")

    def _learn(self, state: dict) -> None:
        try:
            made = dt.datetime.fromisoformat(state["createdAt"].replace("Z", "+00:00"))
            done = dt.datetime.fromisoformat(state["updatedAt"].replace("Z", "+00:00"))
        except (KeyError, ValueError, AttributeError):
            return
        seconds = max(0.0, (done - made).total_seconds())
        self._shared.report_seconds[self._cred.client_id] = self._shared.last_report_seconds = seconds

    async def _token(self, renew: bool = False) -> str:
        shared, cid = self._shared, self._cred.client_id
        async with shared.token_locks.setdefault(cid, asyncio.Lock()):
            token, expires = shared.tokens.get(cid, ("", 0.0))
            if renew or not token or shared.clock() >= expires - TOKEN_MARGIN:
                body = {"client_id": cid, "client_secret": self._cred.client_secret, "grant_type": "client_credentials"}
                answer = await self._send("POST", "/api/client/token", json=body, auth=False)
                if answer.status_code in (400, 401, 403):
                    raise PerformanceKeyInvalid(_error_text(answer))
                data = self._json(answer)
                token = str(data["access_token"])
                shared.tokens[cid] = (token, shared.clock() + float(data.get("expires_in", 1800)))
            return token

    async def _call(self, method: str, path: str, body: Any = None, *, params: dict | None = None,
                    retry: bool = True) -> Any:
        attempts = self._settings.max_attempts if retry else 1
        renewed = False
        for attempt in range(1, attempts + 1):
            token = await self._token()
            answer = await self._send(method, path, json=body, params=params, token=token)
            if answer.status_code == 401 and not renewed:  # expired early or revoked: one fresh token decides
                self._shared.tokens.pop(self._cred.client_id, None)
                renewed = True
                answer = await self._send(method, path, json=body, params=params, token=await self._token())
            if answer.status_code in (401, 403):
                raise PerformanceKeyInvalid(_error_text(answer))
            if answer.status_code < 400:
                return self._json(answer)
            if answer.status_code == 429:
                self._shared.stats.refusals_429 += 1
                if not retry:
                    raise PerformanceLimit(_error_text(answer))
            elif answer.status_code < 500:
                raise PerformanceError(f"Performance API отклонил запрос {path}: «{_error_text(answer)}»")
            if attempt < attempts:
                await self._sleep(self._settings.backoff * 2 ** (attempt - 1))
        raise PerformanceLimit() if answer.status_code == 429 else PerformanceUnavailable(f"HTTP {answer.status_code}")

    async def _send(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
                    token: str = "", auth: bool = True) -> httpx.Response:
        await self._bucket.acquire()
        self._shared.stats.requests += 1
        headers = {"Authorization": f"Bearer {token}"} if auth else {}
        try:
            return await self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("performance_transport_error", extra={"path": path, "error": type(exc).__name__})
            raise PerformanceUnavailable(type(exc).__name__) from None

    @staticmethod
    def _json(answer: httpx.Response) -> Any:
        try:
            return msgspec.json.decode(answer.content)
        except msgspec.DecodeError:
            raise PerformanceUnavailable("ответ не разобран") from None


def _error_text(answer: httpx.Response) -> str:
    try:
        return str(msgspec.json.decode(answer.content).get("error", ""))[:200]
    except (msgspec.DecodeError, AttributeError):
        return ""


def money(text: Any) -> int:
    """'1 234,56' or '1234.56' roubles → kopecks, half-up once."""
    try:
        return kopecks_from_decimal(Decimal(str(text).replace("\xa0", "").replace(" ", "").replace(",", ".") or "0"))
    except InvalidOperation:
        raise PerformanceUnavailable("сумма не разобрана") from None


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d.%m.%Y").date() if "." in text else dt.date.fromisoformat(text[:10])


def parse_report(body: dict) -> list[AdStat]:
    out = []
    for campaign, part in body.items():
        for row in (part.get("report") or {}).get("rows", []):
            sku = str(row.get("sku") or "0")
            out.append(AdStat(date=_day(str(row["date"])), campaign_id=int(campaign), sku=int(sku) if sku.isdigit() else 0,
                              spend=money(row.get("moneySpent", "0")), views=int(row.get("views") or 0),
                              clicks=int(row.get("clicks") or 0), orders=int(row.get("orders") or 0),
                              revenue=money(row.get("ordersMoney", "0"))))
    return out


class PerformanceApiFactory:
    """Builds one client per key over one pooled httpx client; every key shares `shared`."""

    def __init__(self, settings: PerformanceSettings, transport: httpx.AsyncBaseTransport | None = None,
                 sleep: Callable[[float], Any] = asyncio.sleep, slots: ReportSlotsLike | None = None) -> None:
        self.settings, self.shared, self._sleep = settings, Shared(slots=slots), sleep
        self._http = httpx.AsyncClient(base_url=settings.base_url, transport=transport,
                                       timeout=httpx.Timeout(settings.timeout, connect=10.0))

    def __call__(self, credentials: PerformanceCredentials) -> PerformanceClient:
        return PerformanceClient(self._http, self.settings, credentials, self.shared, self._sleep)

    async def aclose(self) -> None:
        await self._http.aclose()
        close = getattr(self.shared.slots, "aclose", None)
        if close is not None:
            await close()
