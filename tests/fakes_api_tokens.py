"""In-memory personal API tokens (the money context's ApiTokenRepository)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.ports import ApiToken, TokenOwner
from tests.fakes import Store


class ApiTokens:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def add(self, token: ApiToken) -> None:
        self.st.api_tokens[token.id] = token

    async def with_owner(self, token_hash: str) -> TokenOwner | None:
        token = await self.by_hash(token_hash)
        if token is None:
            return None
        membership = next((m for m in self.st.memberships.values()
                           if m.user_id == token.user_id and m.account_id == token.account_id), None)
        return TokenOwner(token=token, user=self.st.users.get(token.user_id),
                          account=self.st.accounts.get(token.account_id), membership=membership)

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.st.api_tokens.values() if t.token_hash == token_hash), None)

    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID) -> list[ApiToken]:
        return [t for t in self.st.api_tokens.values() if t.account_id == account_id and t.user_id == user_id]

    async def revoke(self, account_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID, at: dt.datetime) -> bool:
        token = self.st.api_tokens.get(token_id)
        if token is None or token.account_id != account_id or token.user_id != user_id or token.revoked_at:
            return False
        self.st.api_tokens[token_id] = msgspec.structs.replace(token, revoked_at=at)
        return True

    async def touch(self, token_id: uuid.UUID, at: dt.datetime) -> None:
        self.st.api_tokens[token_id] = msgspec.structs.replace(self.st.api_tokens[token_id], last_used_at=at)

    async def revoke_for_user(self, user_id: uuid.UUID, at: dt.datetime) -> None:
        for key, t in list(self.st.api_tokens.items()):
            if t.user_id == user_id and t.revoked_at is None:
                self.st.api_tokens[key] = msgspec.structs.replace(t, revoked_at=at)
