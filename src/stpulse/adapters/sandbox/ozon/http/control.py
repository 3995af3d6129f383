"""Runtime control of a running sandbox (no Ozon auth): register shops, set faults, read counters."""

from __future__ import annotations

import msgspec
from litestar import Request, get, post

from stpulse.adapters.sandbox.ozon.config import FaultConfig, ShopConfig
from stpulse.adapters.sandbox.ozon.http.errors import bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import parse
from stpulse.adapters.sandbox.ozon.http.state import CONTROL_OPT, SandboxState
from stpulse.adapters.sandbox.ozon.profiles import PROFILES

CONTROL = {CONTROL_OPT: True}


class ShopBody(msgspec.Struct):
    client_id: str
    api_key: str
    seed: int
    profile: str = "small"


class FaultBody(msgspec.Struct):
    share_429: float = 0.0
    share_5xx: float = 0.0
    share_slow: float = 0.0
    slow_seconds: float = 0.0
    revoked_client_ids: list[str] = []
    seed: int = 0
    max_consecutive: int = 2


@post("/__sandbox/shops", status_code=200, opt=CONTROL)
async def register_shop(request: Request, sandbox: SandboxState) -> dict:
    body = await parse(request, ShopBody)
    if body.profile not in PROFILES:
        raise bad_request(f"profile: one of {', '.join(PROFILES)}")
    sandbox.register(ShopConfig(client_id=body.client_id, api_key=body.api_key, seed=body.seed, profile=body.profile))
    return {"ok": True, "shops": sorted(sandbox.shops)}


@post("/__sandbox/faults", status_code=200, opt=CONTROL)
async def set_faults(request: Request, sandbox: SandboxState) -> dict:
    body = await parse(request, FaultBody)
    for share in (body.share_429, body.share_5xx, body.share_slow):
        if not 0 <= share <= 1:
            raise bad_request("shares must be within [0, 1]")
    sandbox.set_faults(FaultConfig(share_429=body.share_429, share_5xx=body.share_5xx, share_slow=body.share_slow,
                                   slow_seconds=body.slow_seconds, revoked_client_ids=set(body.revoked_client_ids),
                                   seed=body.seed, max_consecutive=body.max_consecutive))
    return {"ok": True}


@get("/__sandbox/status", opt=CONTROL)
async def status(sandbox: SandboxState) -> dict:
    return {"shops": sorted(sandbox.shops), "today": sandbox.config.today.isoformat(),
            "requests": sandbox.requests, "faults_injected": dict(sandbox.faults.injected)}
