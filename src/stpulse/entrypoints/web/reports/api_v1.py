"""JSON API v1 (personal API tokens, no cookies, no CSRF) and the cabinet page where tokens are made and revoked."""

from __future__ import annotations

import gzip
import uuid
from collections import OrderedDict
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import api_tokens
from stpulse.application.accounts.actor import Actor
from stpulse.application.billing.policy import closed_feature
from stpulse.application.reports import api_hits
from stpulse.application.reports import views as svc
from stpulse.domain.billing.tariffs import FEATURE_API_ACCESS
from stpulse.domain.kernel.errors import NotFound, PermissionDenied, ValidationError
from stpulse.domain.reports.registry import REPORTS, report_kind
from stpulse.domain.reports.table import UNIT_NAMES, Table
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.render import form_error, redirect, render
from stpulse.entrypoints.web.reports.selection import report_request


def bearer(request: Request) -> str:
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise PermissionDenied("Нужен заголовок Authorization: Bearer <токен API>")
    return raw.strip()


async def provide_token_actor(request: Request) -> Actor:
    actor, request.state["entitled"] = await api_tokens.entitled_actor_for_token(deps_of(request), bearer(request))
    return actor


_UNITS = msgspec.json.encode({k.value: v for k, v in UNIT_NAMES.items()})
_GZIP_FROM = 64 * 1024  # a smaller body is sent as it is


class _Encoded(msgspec.Struct):
    table: Table  # held, so the rows' id cannot be reused while the entry lives
    json: bytes
    gzip: dict[bytes, bytes | None]  # the whole response body, gzipped, by its «shops» part (None: served once)


_ENCODED: OrderedDict[int, _Encoded] = OrderedDict()  # tables served last (from the report cache), as JSON


def _encoded(table: Table) -> _Encoded:
    """A cached table's rows are the same tuple on every request (the use case only sets `data_as_of` on a shallow
    copy): its JSON (4.8 MB for 5,000 SKUs × 18 clusters) is encoded, and gzipped, once per rows and heading."""
    hit = _ENCODED.get(id(table.rows))
    if hit is not None and hit.table.rows is table.rows and _heading(hit.table) == _heading(table):
        _ENCODED.move_to_end(id(table.rows))
        return hit
    entry = _ENCODED[id(table.rows)] = _Encoded(table=table, json=msgspec.json.encode(table), gzip={})
    while len(_ENCODED) > 8:
        _ENCODED.popitem(last=False)
    return entry


def _heading(table: Table) -> Table:
    return msgspec.structs.replace(table, rows=())


def clear_encoded() -> None:
    _ENCODED.clear()


def _payload(view: svc.ReportView, accept_encoding: str = "") -> Response[bytes]:
    """{"shops": [...], "report": <Table>, "units": {...}}; a big one gzipped for a client that accepts it, from the
    second request of the same table and shops on (compressed once then): 4.8 MB of JSON is 0.47 MB on the wire, and
    neither side handles the difference per request. The first request of a fresh table is not made to wait for it."""
    shops = msgspec.json.encode([str(s) for s in view.selected])
    entry = _encoded(view.table) if view.table is not None else None
    gzipped = entry is not None and _accepts_gzip(accept_encoding)
    packed = entry.gzip.get(shops) if entry is not None and gzipped else None
    if packed is None:
        body = b"".join((b'{"shops":', shops, b',"report":', entry.json if entry else b"null", b',"units":', _UNITS,
                         b"}"))
        if entry is None or not gzipped or len(body) < _GZIP_FROM or shops not in entry.gzip:
            if entry is not None and gzipped and len(body) >= _GZIP_FROM:
                entry.gzip[shops] = None  # served once as it is
            return Response(content=body, media_type=MediaType.JSON, headers={"Vary": "Accept-Encoding"})
        packed = entry.gzip[shops] = gzip.compress(body, compresslevel=1, mtime=0)
    return Response(content=packed, media_type=MediaType.JSON,
                    headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


def _accepts_gzip(header: str) -> bool:
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class ApiV1Controller(Controller):
    path = "/api/v1"
    dependencies = {"actor": Provide(provide_token_actor)}

    @get("/shops")
    async def shops(self, request: Request, actor: Actor) -> dict[str, Any]:
        shops = await svc.list_shops(deps_of(request), actor)
        return {"shops": [{"id": str(s.id), "name": s.name} for s in shops]}

    @get("/reports")
    async def reports(self, actor: Actor) -> dict[str, Any]:
        """The registered reports with their columns and units, for the user's own tools."""
        return {"reports": [{"code": k.code, "title": k.title, "options": [o.code for o in k.options],
                             "metrics": [m.code for m in k.metrics],
                             "columns": [{"code": c.code, "label": c.label, "unit": c.kind} for c in k.columns]}
                            for k in REPORTS.values()]}

    @get("/reports/{report:str}")
    async def report(self, request: Request, report: str) -> Response[bytes]:
        """The token is checked by the use case (`api_hits.api_report`): a repeated request by one statement."""
        raw = bearer(request)
        try:
            kind = report_kind(report)
        except NotFound:
            await provide_token_actor(request)  # a bad token is refused before an unknown report is named
            raise
        req, _ = report_request(request, kind)
        view = await api_hits.api_report(deps_of(request), raw, report, req)
        return _payload(view, request.headers.get("accept-encoding", ""))


class ApiTokenController(Controller):
    path = "/app/api-tokens"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        tokens = await api_tokens.list_tokens(deps_of(request), actor)
        return render(request, "accounts/api_tokens.html", actor=actor, tokens=tokens, new_token=None,
                      closed=await closed_feature(deps_of(request), actor.account_id, FEATURE_API_ACCESS))

    @post("/")
    async def create(self, request: Request, actor: Actor) -> Template:
        raw_form = dict(await request.form())
        try:
            _, raw = await api_tokens.create_token(deps_of(request), actor, str(raw_form.get("name", "")))
        except ValidationError as exc:
            tokens = await api_tokens.list_tokens(deps_of(request), actor)
            return form_error(request, "accounts/api_tokens.html", exc, raw_form, actor=actor, tokens=tokens, new_token=None)
        tokens = await api_tokens.list_tokens(deps_of(request), actor)
        return render(request, "accounts/api_tokens.html", actor=actor, tokens=tokens, new_token=raw)

    @post("/{token_id:uuid}/revoke")
    async def revoke(self, request: Request, actor: Actor, token_id: uuid.UUID) -> Redirect:
        await api_tokens.revoke_token(deps_of(request), actor, token_id)
        return redirect(request, "/app/api-tokens")
