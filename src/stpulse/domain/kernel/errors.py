"""Domain and application errors. Messages are Russian: they reach the user as they are."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule violation. `message` is shown to the user."""

    status = 400

    def __init__(self, message: str = "Операция не выполнена") -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Bad input. `fields` maps a field name to its Russian error text."""

    status = 422

    def __init__(self, fields: dict[str, str], message: str = "Проверьте введённые данные") -> None:
        super().__init__(message)
        self.fields = dict(fields)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "Не найдено") -> None:
        super().__init__(message)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "Недостаточно прав для этого действия") -> None:
        super().__init__(message)


class Conflict(DomainError):
    status = 409


class LimitExceeded(DomainError):
    """A tariff or rate limit refuses the action."""

    status = 402


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, message: str = "Слишком много попыток. Попробуйте позже.") -> None:
        super().__init__(message)


class CurrencyMismatch(DomainError):
    pass
