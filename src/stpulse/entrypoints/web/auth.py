"""Who is asking: the session cookie resolved once per request, and the dependencies pages ask for."""

from __future__ import annotations

import functools
import ipaddress

from litestar import Request
from litestar.datastructures import Cookie

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.sessions import Visitor, resolve_entitled_session, resolve_session
from stpulse.application.billing.policy import Entitlement
from stpulse.domain.accounts.users import User
from stpulse.entrypoints.deps import Deps

SESSION_COOKIE = "stp_session"


class LoginRequired(Exception):
    """Raised by a dependency when a page needs a signed-in user."""


class AdminRequired(Exception):
    pass


def deps_of(request: Request) -> Deps:
    return request.app.state.container.deps


async def current_visitor(request: Request, *, entitled: bool = False) -> Visitor | None:
    """The visitor, resolved once per request; with `entitled` also the account's entitlement (`billing_access`:
    the layout's read-only banner, and the tariff a report page is bounded by), read in the same unit of work."""
    state = request.scope.setdefault("state", {})
    if "visitor" not in state or (entitled and "billing_access" not in state):
        raw = request.cookies.get(SESSION_COOKIE, "")
        if entitled:
            state["visitor"], state["billing_access"] = await resolve_entitled_session(deps_of(request), raw)
        else:
            state["visitor"] = await resolve_session(deps_of(request), raw)
    return state["visitor"]


async def provide_visitor(request: Request) -> Visitor | None:
    return await current_visitor(request)


async def provide_actor(request: Request) -> Actor:
    visitor = await current_visitor(request, entitled=True)
    if visitor is None or visitor.actor is None:
        raise LoginRequired()
    return visitor.actor


def entitlement_of(request: Request) -> Entitlement | None:
    """The account's entitlement as `provide_actor` read it for this request (None before it ran)."""
    found: Entitlement | None = request.scope.get("state", {}).get("billing_access")
    return found


async def provide_admin(request: Request) -> User:
    visitor = await current_visitor(request)
    if visitor is None:
        raise LoginRequired()
    if not visitor.user.is_admin:
        raise AdminRequired()
    return visitor.user


def session_cookie(request: Request, value: str, max_age: int) -> Cookie:
    secure = request.app.state.container.settings.secure_cookies
    return Cookie(key=SESSION_COOKIE, value=value, httponly=True, secure=secure, samesite="lax",
                  max_age=max_age, path="/")


def client_ip(request: Request) -> str:
    """The client's address. X-Forwarded-For is believed only when the peer is a configured proxy; then the
    rightmost address that is not a trusted proxy is the client (anything left of it may be forged)."""
    peer = request.client.host if request.client else ""
    networks = _networks(request.app.state.container.settings.trusted_proxies)
    if not _within(peer, networks):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _valid(hop):
            break
        if not _within(hop, networks):
            return hop
    return peer


@functools.lru_cache(maxsize=8)
def _networks(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _within(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    if not networks or not _valid(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip.version == net.version and ip in net for net in networks)
