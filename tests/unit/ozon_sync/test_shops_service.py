"""Connecting a shop: the key is checked live, stored encrypted only, a backfill is queued; bad keys write nothing."""

from __future__ import annotations

import dataclasses

import pytest

from stpulse.application.ozon import shops as svc
from stpulse.application.ozon.ports import OzonCredentials, OzonKeyInvalid
from stpulse.domain.kernel.errors import PermissionDenied, ValidationError
from stpulse.domain.ledger.shops import ShopStatus
from tests.unit.foundation.helpers import actor_for

KEY = "a-valid-api-key-0001"


class FakeOzon:
    def __init__(self) -> None:
        self.checked: list[OzonCredentials] = []

    def __call__(self, credentials: OzonCredentials) -> FakeOzon:
        self.checked.append(credentials)
        return self

    async def check_access(self) -> None:
        if self.checked[-1].api_key != KEY:
            raise OzonKeyInvalid()

    async def aclose(self) -> None:
        return None


@pytest.fixture
def shop_deps(deps):  # type: ignore[no-untyped-def]
    return dataclasses.replace(deps, ozon=FakeOzon())


async def test_connect_stores_the_key_encrypted_and_queues_the_backfill(shop_deps):  # type: ignore[no-untyped-def]
    actor = await actor_for(shop_deps)
    shop = await svc.connect_shop(shop_deps, actor, svc.ConnectShop(name=" Мой ", client_id="123", api_key=KEY))
    assert shop.name == "Мой" and shop.status == ShopStatus.NEW
    async with shop_deps.uow() as uow:
        stored = await uow.shops.api_key(shop.id)
    assert stored != KEY.encode() and shop_deps.secrets.decrypt(stored) == KEY
    assert shop_deps.jobs.jobs == [("sync_shop", {"shop_id": str(shop.id), "kind": "backfill"})]


async def test_a_key_ozon_refuses_is_explained_and_nothing_is_saved(shop_deps):  # type: ignore[no-untyped-def]
    actor = await actor_for(shop_deps)
    with pytest.raises(ValidationError) as info:
        await svc.connect_shop(shop_deps, actor, svc.ConnectShop(name="М", client_id="123", api_key="revoked-key-9"))
    assert "Ключ API недействителен" in info.value.fields["api_key"]
    async with shop_deps.uow() as uow:
        assert await uow.shops.for_account(actor.account_id) == []


async def test_form_is_validated_and_analysts_cannot_connect(shop_deps):  # type: ignore[no-untyped-def]
    actor = await actor_for(shop_deps)
    with pytest.raises(ValidationError) as info:
        await svc.connect_shop(shop_deps, actor, svc.ConnectShop(name="", client_id="abc", api_key="x"))
    assert set(info.value.fields) == {"name", "client_id", "api_key"}
    analyst = await actor_for(shop_deps, "analyst@example.ru", role="analyst")
    with pytest.raises(PermissionDenied):
        await svc.connect_shop(shop_deps, analyst, svc.ConnectShop(name="М", client_id="123", api_key=KEY))
