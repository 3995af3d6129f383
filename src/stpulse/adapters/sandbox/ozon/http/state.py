"""The running sandbox: registered shops, their generated worlds, faults; the auth + fault hook."""

from __future__ import annotations

import asyncio

from litestar import Request, Response

from stpulse.adapters.sandbox.ozon.config import FaultConfig, SandboxConfig, ShopConfig
from stpulse.adapters.sandbox.ozon.http.errors import (
    MSG_DEACTIVATED,
    MSG_INVALID_KEY,
    MSG_MISSING_AUTH,
    PERMISSION_DENIED,
    UNAUTHENTICATED,
    error_response,
)
from stpulse.adapters.sandbox.ozon.http.faults import FaultEngine
from stpulse.adapters.sandbox.ozon.profiles import get_profile
from stpulse.adapters.sandbox.ozon.stock_history import simulate
from stpulse.adapters.sandbox.ozon.world import SellerWorld

CONTROL_OPT = "sandbox_control"


class SandboxState:
    """Mutable at runtime through the control endpoints; worlds are built on first use per client."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.shops: dict[str, ShopConfig] = {}
        self.worlds: dict[str, SellerWorld] = {}
        self.faults = FaultEngine(config.faults)
        self.requests = 0
        for shop in config.shops:
            self.register(shop)

    def register(self, shop: ShopConfig) -> None:
        get_profile(shop.profile)  # refuse unknown profiles early
        previous = self.shops.get(shop.client_id)
        self.shops[shop.client_id] = shop
        if previous is None or (previous.seed, previous.profile) != (shop.seed, shop.profile):
            self.worlds.pop(shop.client_id, None)

    def set_faults(self, faults: FaultConfig) -> None:
        self.config.faults = faults
        self.faults = FaultEngine(faults)

    def world(self, client_id: str) -> SellerWorld:
        if client_id not in self.worlds:
            shop, cfg = self.shops[client_id], self.config
            self.worlds[client_id] = SellerWorld(
                shop.seed, shop.profile, cfg.today, history_days=cfg.history_days,
                extra_type_ids=tuple(t[0] for t in cfg.extra_accrual_types),
                day_cache_size=cfg.day_cache_size, origin_cache_size=cfg.origin_cache_size,
            )
        return self.worlds[client_id]

    def warm(self) -> int:
        """Build every seller's world and its stock history now (Ozon has its sellers' data ready; the sandbox
        simulates a small seller's two years of stock in ~0.14 s of CPU on the first stock request). Returns how
        many worlds were built. `stpulse sandbox --warm` calls it before serving (bench/scale.py: 1,000 sellers)."""
        for client_id in self.shops:
            simulate(self.world(client_id))
        return len(self.shops)

    def world_for_seed(self, seed: int, profile: str) -> SellerWorld:
        """The world a ground-truth caller should compare against (shared cache with the API)."""
        for client_id, shop in self.shops.items():
            if (shop.seed, shop.profile) == (seed, profile):
                return self.world(client_id)
        cfg = self.config
        return SellerWorld(seed, profile, cfg.today, history_days=cfg.history_days,
                           extra_type_ids=tuple(t[0] for t in cfg.extra_accrual_types))


def make_guard(state: SandboxState):
    """before_request hook: Ozon's auth checks, then injected faults; stores the seller's world."""

    async def guard(request: Request) -> Response | None:
        if request.route_handler.opt.get(CONTROL_OPT):
            return None
        state.requests += 1
        client_id, api_key = request.headers.get("client-id"), request.headers.get("api-key")
        if not client_id or not api_key:
            return error_response(401, UNAUTHENTICATED, MSG_MISSING_AUTH)
        shop = state.shops.get(client_id)
        if shop is None or shop.api_key != api_key:
            return error_response(403, PERMISSION_DENIED, MSG_INVALID_KEY)
        if client_id in state.config.faults.revoked_client_ids:
            return error_response(403, PERMISSION_DENIED, MSG_DEACTIVATED)
        fault = state.faults.decide(client_id, request.url.path, await request.body())
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.status:
            return error_response(fault.status, fault.code, fault.message)
        request.state.world = state.world(client_id)
        return None

    return guard


def provide_world(request: Request) -> SellerWorld:
    return request.state.world
