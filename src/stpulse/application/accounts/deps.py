"""What the use cases of the accounts context receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.accounts.ports import AccountsUnitOfWork
from stpulse.application.kernel.deps import AppConfig
from stpulse.application.kernel.ports import (
    Clock,
    FileStorage,
    Mailer,
    MarkdownRenderer,
    PasswordHasher,
    PasswordStrength,
    VirusScanner,
)


class AccountsDeps(Protocol):
    @property
    def uow(self) -> Callable[[], AccountsUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def config(self) -> AppConfig: ...
    @property
    def hasher(self) -> PasswordHasher: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def markdown(self) -> MarkdownRenderer: ...
    @property
    def storage(self) -> FileStorage: ...
    @property
    def password_strength(self) -> PasswordStrength | None: ...
    @property
    def scanner(self) -> VirusScanner | None: ...
