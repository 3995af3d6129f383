"""The shop selector and period picker shared by every report page, remembered in cookies across pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import Cookie

from stpulse.application.report_views import ReportRequest, default_period
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.table import Kind
from stpulse.entrypoints.web.auth import deps_of

SHOPS_COOKIE, PERIOD_COOKIE = "stp_shops", "stp_period"
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = 365 * 24 * 3600


def _uuids(values: list[str]) -> tuple[uuid.UUID, ...]:
    out = []
    for v in values:
        for part in v.split(","):
            try:
                out.append(uuid.UUID(part.strip()))
            except ValueError:
                continue
    return tuple(out)


def report_request(request: Request) -> tuple[ReportRequest, list[Cookie]]:
    """The selection from the query (and then remembered), else from the cookies, else all shops and 12 months."""
    q = request.query_params
    cookies: list[Cookie] = []
    secure = request.app.state.container.settings.secure_cookies
    if "shops" in q or q.get("sel"):
        shops = _uuids(list(q.getall("shops")) if "shops" in q else [])
        cookies.append(_cookie(SHOPS_COOKIE, ",".join(str(s) for s in shops) or "all", secure))
    else:
        shops = _uuids([request.cookies.get(SHOPS_COOKIE, "")])
    month_from, month_to = default_period(deps_of(request))
    remembered = request.cookies.get(PERIOD_COOKIE, "").split(":")
    if len(remembered) == 2 and all(_MONTH.match(m) for m in remembered):
        month_from, month_to = remembered
    if q.get("from") and q.get("to"):
        month_from, month_to = q["from"], q["to"]
        if _MONTH.match(month_from) and _MONTH.match(month_to):
            cookies.append(_cookie(PERIOD_COOKIE, f"{month_from}:{month_to}", secure))
    alloc = q.get("alloc", "revenue")
    allocation = AllocationRule(alloc) if alloc in {r.value for r in AllocationRule} else AllocationRule.REVENUE
    return ReportRequest(shop_ids=shops, month_from=month_from, month_to=month_to, allocation=allocation), cookies


def _cookie(key: str, value: str, secure: bool) -> Cookie:
    return Cookie(key=key, value=value, httponly=True, secure=secure, samesite="lax", max_age=_YEAR, path="/")


def format_cell(value: int | None, kind: Kind | str) -> str:
    """Kopecks as roubles, basis points as percents, counts with grouping (Russian style)."""
    if value is None:
        return "—"
    kind = Kind(kind)
    if kind is Kind.COUNT:
        return f"{value:,}".replace(",", "\u00a0")
    scale = 100
    sign = "−" if value < 0 else ""
    whole, frac = divmod(abs(value), scale)
    text = f"{sign}{whole:,}".replace(",", "\u00a0") + f",{frac:02d}"
    return text + ("\u00a0%" if kind is Kind.PERCENT else "")


def selection_query(req: ReportRequest, shops: Sequence[uuid.UUID]) -> str:
    """The selection as a query string for links (drill-down, export)."""
    pairs = [("from", req.month_from), ("to", req.month_to)] + [("shops", str(s)) for s in shops]
    if req.allocation is not AllocationRule.REVENUE:
        pairs.append(("alloc", req.allocation.value))
    return urlencode(pairs)
