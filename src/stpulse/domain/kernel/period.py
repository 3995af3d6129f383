"""Report periods: whole calendar months, as month numbers since 1970-01 (Moscow dates)."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import numpy as np

from stpulse.domain.kernel.errors import ValidationError

EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def day_date(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


MONTH_NAMES = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
               "Октябрь", "Ноябрь", "Декабрь")
_YM = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 36


def parse_month(text: str) -> int:
    """'2026-03' → month number since 1970-01."""
    m = _YM.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError({"month": f"Месяц «{text}» должен быть в формате ГГГГ-ММ"})
    return (int(m.group(1)) - 1970) * 12 + int(m.group(2)) - 1


def month_text(month: int) -> str:
    return f"{1970 + month // 12:04d}-{month % 12 + 1:02d}"


def month_label(month: int) -> str:
    return f"{MONTH_NAMES[month % 12]} {1970 + month // 12}"


def month_first_day(month: int) -> dt.date:
    return dt.date(1970 + month // 12, month % 12 + 1, 1)


def months_of_days(days: np.ndarray) -> np.ndarray:
    """Day numbers → month numbers (vectorised through datetime64)."""
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[M]").astype(np.int64)


class Period(msgspec.Struct, frozen=True, kw_only=True):
    first_month: int
    last_month: int

    def __post_init__(self) -> None:
        if self.last_month < self.first_month:
            raise ValidationError({"period": "Конец периода раньше начала"})
        if self.last_month - self.first_month + 1 > MAX_MONTHS:
            raise ValidationError({"period": f"Период не длиннее {MAX_MONTHS} месяцев"})

    @classmethod
    def parse(cls, month_from: str, month_to: str) -> Period:
        return cls(first_month=parse_month(month_from), last_month=parse_month(month_to))

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(self.first_month, self.last_month + 1))

    @property
    def first_day(self) -> dt.date:
        return month_first_day(self.first_month)

    @property
    def last_day(self) -> dt.date:
        return month_first_day(self.last_month + 1) - dt.timedelta(days=1)

    @property
    def day_range(self) -> tuple[int, int]:
        return day_number(self.first_day), day_number(self.last_day)
