"""argon2id password hashes (argon2-cffi defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Hasher:
    def __init__(self, fast: bool = False) -> None:
        # `fast` is for tests only: fewer rounds, same algorithm and format.
        self._ph = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1) if fast else PasswordHasher()

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._ph.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
