"""The benches' set-up in PostgreSQL: a scratch database, the owner with a year of access, a shop."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import uuid

import asyncpg

from stpulse.application.accounts.actor import Actor
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.accounts.users import Account, Membership, Role, User

PG = os.environ.get("STPULSE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


def step(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


async def create_db() -> tuple[str, str]:
    name = f"stpulse_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(PG)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    base = PG.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


async def drop_db(name: str) -> None:
    conn = await asyncpg.connect(PG)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def seed_owner(deps) -> Actor:  # type: ignore[no-untyped-def]
    """The bench's owner (ИП on УСН «доходы» 6 %) with a year of the richest tariff: the tariff policy makes an
    account without access read-only, so it is granted before anything is written."""
    user = User(id=new_id(), email="bench@example.ru", full_name="Бенчмарк", password_hash="x",
                email_confirmed_at=dt.datetime.now(dt.UTC), created_at=dt.datetime.now(dt.UTC))
    account = Account(id=new_id(), name="Бенчмарк", owner_id=user.id)
    membership = Membership(id=new_id(), account_id=account.id, user_id=user.id, role=Role.OWNER)
    entity = LegalEntity(id=new_id(), account_id=account.id, kind=EntityKind.IP, name="ИП Бенч", inn="500100732259")
    async with deps.uow() as uow:
        await uow.users.add(user)
        await uow.accounts.add(account)
        await uow.memberships.add(membership)
        await uow.legal_entities.add(entity)
        await uow.commit()
    actor = Actor(user=user, account=account, membership=membership)
    await grant_access(deps, actor)
    return actor


async def grant_access(deps, actor: Actor) -> None:  # type: ignore[no-untyped-def]
    """A year of the richest tariff (API access, 36 months of history): the tariff policy gates the API."""
    from stpulse.domain.billing import Subscription

    now = deps.clock.now()  # the bench's clock (the sandbox's today), as the policy reads it
    async with deps.uow() as uow:
        found = await uow.subscriptions.get(actor.user.id)
        if found is None or not found.entries:  # none yet, or the empty one a read of the policy leaves
            sub = Subscription.new(user_id=actor.user.id, tariff_code="pro", now=now)
            await uow.subscriptions.save(sub.start_trial(now=now, days=365))
            await uow.commit()


async def add_shop(dsn: str, actor: Actor, name: str = "Крупный магазин", client_id: str = "900") -> uuid.UUID:
    shop_id = uuid.uuid4()
    conn = await asyncpg.connect(dsn)
    async with conn.transaction():
        entity = await conn.fetchval("SELECT id FROM legal_entities WHERE account_id = $1", actor.account_id)
        await conn.execute(
            "INSERT INTO shops (id, account_id, name, client_id, api_key_encrypted, status, legal_entity_id, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, 'x', 'active', $5, now(), now())",
            shop_id, actor.account_id, name, client_id, entity)
    await conn.close()
    return shop_id


async def existing(deps, dsn: str) -> tuple[Actor, uuid.UUID]:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        user = await uow.users.by_email("bench@example.ru")
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
        shop = (await uow.shops.for_account(account.id))[0]
    return Actor(user=user, account=account, membership=membership), shop.id
