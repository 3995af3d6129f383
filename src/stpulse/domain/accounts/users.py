"""Users, accounts (organisations), roles and what each role may do."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from enum import StrEnum

import msgspec

from stpulse.domain.accounts.common_passwords import COMMON_PASSWORDS
from stpulse.domain.accounts.legal_docs import LEGAL_VERSION
from stpulse.domain.kernel.errors import PermissionDenied, ValidationError

CONSENT_VERSION = LEGAL_VERSION  # the edition of the consent text (/pages/consent) a registration accepts
CONSENT_TEXT = "Я принимаю условия оферты и даю согласие на обработку моих персональных данных (152-ФЗ)."

_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
PASSWORD_MIN = 10


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    ANALYST = "analyst"
    ACCOUNTANT = "accountant"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OWNER: "Владелец",
    Role.MANAGER: "Менеджер",
    Role.ANALYST: "Аналитик (только просмотр)",
    Role.ACCOUNTANT: "Бухгалтер",
}


class Permission(StrEnum):
    VIEW = "view"
    EDIT_DATA = "edit_data"  # shops' data, costs, plans, documents
    EDIT_FINANCE = "edit_finance"  # legal entities, expenses, cash flow entries
    MANAGE_TEAM = "manage_team"
    MANAGE_SHOPS = "manage_shops"
    BILLING = "billing"


_ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.MANAGER: frozenset({Permission.VIEW, Permission.EDIT_DATA, Permission.MANAGE_SHOPS}),
    Role.ACCOUNTANT: frozenset({Permission.VIEW, Permission.EDIT_FINANCE, Permission.EDIT_DATA}),
    Role.ANALYST: frozenset({Permission.VIEW}),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in _ROLE_PERMISSIONS[role]


class User(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    email: str
    full_name: str
    password_hash: str
    email_confirmed_at: dt.datetime | None = None
    consent_at: dt.datetime | None = None
    consent_version: str | None = None
    is_admin: bool = False
    is_blocked: bool = False
    phone: str = ""
    created_at: dt.datetime | None = None

    @property
    def confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class Account(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID


class Membership(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    user_id: uuid.UUID
    role: Role
    shop_ids: frozenset[uuid.UUID] | None = None  # None: every shop of the account

    def can(self, permission: Permission) -> bool:
        return role_allows(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied("Ваша роль не позволяет это действие. Обратитесь к владельцу аккаунта.")

    def sees_shop(self, shop_id: uuid.UUID) -> bool:
        return self.shop_ids is None or shop_id in self.shop_ids


class Invitation(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    email: str
    role: Role
    shop_ids: frozenset[uuid.UUID] | None
    invited_by: uuid.UUID
    expires_at: dt.datetime
    accepted_at: dt.datetime | None = None


def normalize_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    if not email or len(email) > 254 or not _EMAIL_RE.match(email):
        raise ValidationError({"email": "Введите корректный адрес электронной почты"})
    return email


def check_password(password: str, field: str = "password") -> None:
    """Length without the spaces at the ends (ten spaces are not a password), letters and more, not a common one."""
    core = (password or "").strip()
    if len(core) < PASSWORD_MIN:
        raise ValidationError({field: f"Пароль должен быть не короче {PASSWORD_MIN} символов "
                                      "(пробелы в начале и в конце не считаются)"})
    if len(password) > 256:
        raise ValidationError({field: "Пароль слишком длинный (не более 256 символов)"})
    if is_common_password(core):
        raise ValidationError({field: "Этот пароль есть в списках самых распространённых — его подберут первым. "
                                      "Придумайте другой"})
    if core.isdigit() or core.isalpha():
        raise ValidationError({field: "Пароль должен содержать и буквы, и цифры или символы"})


def is_common_password(password: str) -> bool:
    """In the common list as it is, or once a trailing run of digits is dropped (`password123`, `qwerty2024`)."""
    lowered = password.strip().lower()
    return lowered in COMMON_PASSWORDS or lowered.rstrip("0123456789") in COMMON_PASSWORDS


def check_name(name: str, field: str = "full_name", label: str = "Имя") -> str:
    value = (name or "").strip()
    if not value:
        raise ValidationError({field: f"{label}: заполните поле"})
    if len(value) > 200:
        raise ValidationError({field: f"{label}: не более 200 символов"})
    return value
