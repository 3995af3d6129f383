"""Report periods: whole calendar months, as month numbers since 1970-01 (Moscow dates)."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import numpy as np

from stpulse.domain.kernel.errors import ValidationError

EPOCH = dt.date(1970, 1, 1)


DAY_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")  # as a person types it (ДД.ММ.ГГГГ), and ISO


def parse_day(text: str) -> dt.date | None:
    """A date typed as ДД.ММ.ГГГГ or ГГГГ-ММ-ДД; None when it is neither."""
    for fmt in DAY_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


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


def month_label_lower(month: int) -> str:
    """«декабрь 2025»: a month inside a sentence or a period."""
    return month_label(month).lower()


def period_label(first_month: int, last_month: int) -> str:
    """«декабрь 2025 — ноябрь 2026»; one month alone: «декабрь 2025»."""
    if first_month == last_month:
        return month_label_lower(first_month)
    return f"{month_label_lower(first_month)} — {month_label_lower(last_month)}"


def month_first_day(month: int) -> dt.date:
    return dt.date(1970 + month // 12, month % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """How many calendar months from `first`'s to `last`'s, both counted."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


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
    def label(self) -> str:
        return period_label(self.first_month, self.last_month)

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


def _month_or_none(text: str) -> int | None:
    try:
        return parse_month(text or "")
    except ValidationError:
        return None


def nearest_period(month_from: str, month_to: str, default: tuple[int, int]) -> tuple[Period, str | None]:
    """The period asked for, or the nearest valid one and a Russian note saying what was wrong.

    An unreadable month falls back to the default's; a backwards range is turned round; a range longer than
    MAX_MONTHS keeps its last MAX_MONTHS months.
    """
    first, last = _month_or_none(month_from), _month_or_none(month_to)
    problems = [f"месяц «{text}» не распознан" for text, m in ((month_from, first), (month_to, last)) if m is None]
    first = default[0] if first is None else first
    last = default[1] if last is None else last
    if last < first:
        problems.append("конец периода раньше начала")
        first, last = last, first
    if last - first + 1 > MAX_MONTHS:
        problems.append(f"период длиннее {MAX_MONTHS} месяцев")
        first = last - MAX_MONTHS + 1
    if not problems:
        return Period(first_month=first, last_month=last), None
    note = "; ".join(problems).capitalize()
    return Period(first_month=first, last_month=last), f"{note} — показан период {period_label(first, last)}"
