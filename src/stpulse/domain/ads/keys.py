"""A Performance API key of a shop: one ad account (several per shop, in one or several organisations)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.errors import ValidationError

CLIENT_ID = re.compile(r"^\d+-\d+@advertising\.performance\.ozon\.ru$")


class KeyStatus(StrEnum):
    ACTIVE = "active"
    INVALID = "invalid"  # Ozon refused the key: this key stops, the shop's other keys go on


class PerformanceKey(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    shop_id: uuid.UUID
    label: str
    organisation: str
    client_id: str
    status: KeyStatus = KeyStatus.ACTIVE
    last_error: str = ""
    created_at: dt.datetime
    done_through: dt.date | None = None  # the import's checkpoint: every day up to it is stored
    last_sync_at: dt.datetime | None = None

    @property
    def outcome(self) -> str:
        """The key's last import, classified for the shop page: refused (the key is revoked or wrong: it stops),
        failed (a limit or Ozon down: the next sync retries), loaded, or first (nothing imported yet)."""
        if self.status is KeyStatus.INVALID:
            return "refused"
        if self.last_error:
            return "failed"
        return "loaded" if self.done_through is not None else "first"


def refused_message(key: PerformanceKey, detail: str) -> str:
    """What the shop page says of a key Ozon refuses: which key, why, and that the shop's other keys go on."""
    return (f"Ключ «{key.label}» ({key.client_id}) отозван или неверен: {detail}. Остальные ключи магазина "
            "загружаются; сохраните новый Client Secret этого ключа на странице рекламных кабинетов.")


def check_key_fields(label: str, organisation: str, client_id: str, client_secret: str) -> tuple[str, str, str]:
    """Trimmed (label, organisation, client_id); Russian errors by field."""
    label, organisation, client_id = label.strip(), organisation.strip(), client_id.strip()
    errors = {}
    if not label or len(label) > 100:
        errors["label"] = "Укажите название ключа (до 100 символов)"
    if not organisation or len(organisation) > 200:
        errors["organisation"] = "Укажите организацию (до 200 символов)"
    if not CLIENT_ID.match(client_id):
        errors["client_id"] = "Client ID выглядит как 12345678-1234567890123@advertising.performance.ozon.ru"
    if not client_secret.strip() or len(client_secret) > 500:
        errors["client_secret"] = "Укажите Client Secret"  # noqa: S105 (a message, not a secret)
    if errors:
        raise ValidationError(errors)
    return label, organisation, client_id
