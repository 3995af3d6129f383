"""The shop selector and period picker shared by every report page, remembered in cookies across pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from urllib.parse import urlencode

import msgspec
from litestar import Request
from litestar.datastructures import Cookie

from stpulse.application.reports.views import ReportRequest, ReportView, default_period
from stpulse.domain.kernel.period import month_label, month_text, parse_month
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.kinds import ReportKind
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


def report_request(request: Request, kind: ReportKind | None = None) -> tuple[ReportRequest, list[Cookie]]:
    """The selection from the query (and then remembered), else from the cookies, else all shops and 12 months;
    the report's own «Показатели» (`metric=…`) from the query."""
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
    asked = list(q.getall("metric")) if "metric" in q else []
    remember = bool(q.get("sel")) and kind is not None and bool(kind.metrics) and bool(asked)
    metrics = _metrics(kind, asked, keep_default=remember)
    options = tuple((o.code, q[o.code]) for o in (kind.options if kind else ())
                    if o.code != "alloc" and q.get(o.code) in {v for v, _ in o.choices} and q[o.code] != o.default)
    sku = kind is not None and kind.sku_rows
    model = (q.get("model") or "").strip()[:200] if sku else ""
    return ReportRequest(shop_ids=shops, month_from=month_from, month_to=month_to, allocation=allocation,
                         metrics=metrics, options=options, model=model, remember=remember,
                         by_model=sku and q.get("group") == "model"), cookies


def corrected(request: Request, req: ReportRequest, cookies: list[Cookie],
              view: ReportView) -> tuple[ReportRequest, list[Cookie]]:
    """The request as shown (a bad period or an unseen shop corrected), remembered as corrected."""
    secure = request.app.state.container.settings.secure_cookies
    first, last = month_text(view.period.first_month), month_text(view.period.last_month)
    shops = req.shop_ids
    if set(shops) - set(view.selected):
        shops = view.selected if len(view.selected) < len(view.shops) else ()
    if (first, last, shops) == (req.month_from, req.month_to, req.shop_ids):
        return req, cookies
    kept = [c for c in cookies if c.key not in (PERIOD_COOKIE, SHOPS_COOKIE)]
    kept += [_cookie(PERIOD_COOKIE, f"{first}:{last}", secure),
             _cookie(SHOPS_COOKIE, ",".join(map(str, shops)) or "all", secure)]
    return msgspec.structs.replace(req, month_from=first, month_to=last, shop_ids=shops), kept


def month_options(request: Request, req: ReportRequest, years: int = 5) -> tuple[tuple[str, str], ...]:
    """The month picker's choices, newest first: the last `years` years and the months asked for."""
    newest = parse_month(default_period(deps_of(request))[1])
    wanted = [parse_month(m) for m in (req.month_from, req.month_to) if _MONTH.match(m)]
    last, first = max([newest, *wanted]), min([newest - years * 12 + 1, *wanted])
    return tuple((month_text(m), month_label(m)) for m in range(last, first - 1, -1))


def _metrics(kind: ReportKind | None, asked: list[str], keep_default: bool = False) -> tuple[str, ...]:
    """The «Показатели» asked for, in the order asked; () when they are the report's default set (unless the
    choice is to be remembered: then as chosen)."""
    if kind is None:
        return ()
    known = {m.code for m in kind.metrics}
    chosen = tuple(dict.fromkeys(m for m in asked if m in known))
    default = tuple(m.code for m in kind.metrics if m.default)
    return () if chosen == default and not keep_default else chosen


def _cookie(key: str, value: str, secure: bool) -> Cookie:
    return Cookie(key=key, value=value, httponly=True, secure=secure, samesite="lax", max_age=_YEAR, path="/")


def selection_query(req: ReportRequest, shops: Sequence[uuid.UUID]) -> str:
    """The selection as a query string for links (drill-down, export)."""
    pairs = [("from", req.month_from), ("to", req.month_to)] + [("shops", str(s)) for s in shops]
    if req.allocation is not AllocationRule.REVENUE:
        pairs.append(("alloc", req.allocation.value))
    pairs += [("metric", m) for m in req.metrics]
    pairs += list(req.options)
    if req.model:
        pairs.append(("model", req.model))
    if req.by_model:
        pairs.append(("group", "model"))
    return urlencode(pairs)
