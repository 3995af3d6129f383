"""The signed-in user acting inside one account: what every use case of the cabinet checks first."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.domain.accounts.users import Account, Membership, User


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """The signed-in user acting inside one account."""

    user: User
    account: Account
    membership: Membership

    @property
    def account_id(self) -> uuid.UUID:
        return self.account.id
