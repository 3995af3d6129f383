"""Secrets at rest (Ozon Api-Keys, YooKassa secret) encrypted with Fernet (AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from stpulse.domain.kernel.errors import DomainError


class FernetSecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken:
            raise DomainError("Не удалось расшифровать ключ: смените ключ API заново") from None

    def __repr__(self) -> str:
        return "FernetSecretBox(<hidden>)"
