"""Ozon Seller API sandbox: a deterministic seller generator, its ground truth, and a Litestar imitation.

    world = SellerWorld(seed=1, profile="medium", today=dt.date(2026, 9, 30))
    gt = ground_truth(world, dt.date(2026, 1, 1), dt.date(2026, 6, 30))     # kopecks, counts
    lines = iter_accrual_lines(world, day, day)                                # normalised AccrualLine
    app = create_sandbox_app(SandboxConfig(shops=[ShopConfig(client_id="1", api_key="k", seed=1)]))
"""

from stpulse.adapters.sandbox.ozon.config import (
    DEFAULT_TODAY,
    FaultConfig,
    SandboxConfig,
    ShopConfig,
    numbered_shops,
)
from stpulse.adapters.sandbox.ozon.ground_truth import GroundTruth, ground_truth, iter_accrual_lines
from stpulse.adapters.sandbox.ozon.http.app import (
    create_ozon_sandbox,
    create_sandbox_app,
    ozon_router,
    sandbox_state,
)
from stpulse.adapters.sandbox.ozon.http.state import SandboxState
from stpulse.adapters.sandbox.ozon.postings import moscow_day_bounds
from stpulse.adapters.sandbox.ozon.profiles import PROFILES, Profile
from stpulse.adapters.sandbox.ozon.world import SellerWorld

__all__ = [
    "DEFAULT_TODAY", "PROFILES", "FaultConfig", "GroundTruth", "Profile", "SandboxConfig", "SandboxState",
    "SellerWorld", "ShopConfig", "create_ozon_sandbox", "create_sandbox_app", "ground_truth", "numbered_shops",
    "iter_accrual_lines", "moscow_day_bounds", "ozon_router", "sandbox_state",
]
