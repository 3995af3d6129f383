"""What the repository contract suites share: small builders of the rows they write (the unit of work under test,
the in-memory fake and then PostgreSQL, is the `uow_factory` fixture of tests/integration/conftest.py)."""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

import msgspec

from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.users import Account, Membership, Role, User
from stpulse.domain.ledger.shops import Shop

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def new_user(email: str) -> User:
    return User(id=new_id(), email=email, full_name="Имя " + email, password_hash="x", created_at=NOW)


async def add_account(uow: Any, email: str) -> tuple[User, Account]:
    user = new_user(email)
    account = Account(id=new_id(), name=email, owner_id=user.id)
    await uow.users.add(user)
    await uow.accounts.add(account)
    await uow.memberships.add(Membership(id=new_id(), account_id=account.id, user_id=user.id, role=Role.OWNER,
                                         shop_ids=None))
    return user, account


async def add_shop(uow: Any, account: Account, client_id: str = "1001") -> Shop:
    shop = Shop(id=new_id(), account_id=account.id, name="Магазин " + client_id, client_id=client_id,
                created_at=NOW)
    await uow.shops.add(shop, b"key")
    return shop


_BLANK: dict[Any, Any] = {int: 0, str: "", bytes: b"", bool: False, Decimal: Decimal(0), dt.date: dt.date(2026, 1, 1)}


def blank(cls: type, **values: Any) -> Any:
    """A struct with every field not given set to an empty value of its type (None where allowed)."""
    for f in msgspec.structs.fields(cls):
        if f.name in values or f.required is False:
            continue
        kind = f.type
        if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
            values[f.name] = None
        elif typing.get_origin(kind) is tuple:
            values[f.name] = ()
        else:
            values[f.name] = _BLANK[kind]
    return cls(**values)
