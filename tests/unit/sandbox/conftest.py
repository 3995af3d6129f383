"""Fixtures: one sandbox app serving two small sellers, and an httpx client talking to it in-process."""

import httpx
import pytest

from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app, sandbox_state

SHOP_A = {"Client-Id": "1001", "Api-Key": "key-a"}
SHOP_B = {"Client-Id": "1002", "Api-Key": "key-b"}


def make_config(**kwargs) -> SandboxConfig:
    shops = [ShopConfig(client_id="1001", api_key="key-a", seed=11, profile="small"),
             ShopConfig(client_id="1002", api_key="key-b", seed=22, profile="small")]
    return SandboxConfig(shops=shops, **kwargs)


@pytest.fixture(scope="module")
def app():
    return create_sandbox_app(make_config())


@pytest.fixture(scope="module")
def state(app):
    return sandbox_state(app)


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as c:
        yield c


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")
