"""Supply parameters per SKU from a spreadsheet: every row checked, errors in Russian by row number."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import msgspec

from stpulse.domain.planning.supply import SupplyParams

OFFER, LEAD, COVER, SAFETY, BOX, MIN_ORDER = ("Артикул", "Срок поставки, дн", "Запас на, дн", "Страховой запас, дн",
                                              "Кратность коробки, шт", "Минимальная партия, шт")
HEADERS = (OFFER, LEAD, COVER, SAFETY, BOX, MIN_ORDER)
FIELDS = {LEAD: "lead_days", COVER: "cover_days", SAFETY: "safety_days", BOX: "box", MIN_ORDER: "min_order"}
LIMITS = {LEAD: (0, 365), COVER: (0, 365), SAFETY: (0, 365), BOX: (1, 100_000), MIN_ORDER: (0, 1_000_000)}
MAX_ROWS = 50_000


class ParamIssue(msgspec.Struct, frozen=True, kw_only=True):
    row: int  # as Excel numbers it (the header is row 1)
    message: str


class SkuParams(msgspec.Struct, frozen=True, kw_only=True):
    offer_id: str
    params: SupplyParams


def _key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _integer(value: Any, header: str) -> int | None | str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        return f"«{header}»: не число"
    if isinstance(value, float):
        if not value.is_integer():
            return f"«{header}»: нужно целое число, а не {value:g}".replace(".", ",")
        value = int(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+", text):
        return f"«{header}»: текст «{value}» вместо числа"
    number = int(text)
    low, high = LIMITS[header]
    if number < 0:
        return f"«{header}»: отрицательное число"
    if not low <= number <= high:
        return f"«{header}»: должно быть от {low} до {high}"
    return number


def _offer(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "").strip()


def validate_param_rows(rows: Sequence[Sequence[Any]], known: frozenset[str],
                        defaults: SupplyParams) -> tuple[list[SkuParams], list[ParamIssue]]:
    """Rows of the sheet (the first is the header) → parameters, or the errors (then nothing is to be written).

    An empty cell takes the default; an unknown offer_id, a repeated one, a negative or non-numeric value is an
    error of its row."""
    if not rows:
        return [], [ParamIssue(row=1, message="Файл пустой")]
    wanted = {_key(h): h for h in HEADERS}
    cols = {wanted[_key(c)]: i for i, c in reversed(list(enumerate(rows[0]))) if _key(c) in wanted}
    if OFFER not in cols:
        return [], [ParamIssue(row=1, message=f"Нет столбца «{OFFER}». Скачайте шаблон и заполните его.")]
    if len(rows) - 1 > MAX_ROWS:
        return [], [ParamIssue(row=1, message=f"Больше {MAX_ROWS} строк")]
    out: list[SkuParams] = []
    errors: list[ParamIssue] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        def get(h: str, cells: Sequence[Any] = cells) -> Any:
            return cells[cols[h]] if h in cols and cols[h] < len(cells) else None

        if all(get(h) is None or (isinstance(get(h), str) and not get(h).strip()) for h in FIELDS):
            continue  # an empty line, or a template line of a product left on the defaults
        problems: list[str] = []
        offer = _offer(get(OFFER))
        if not offer:
            problems.append("не указан артикул")
        elif offer not in known:
            problems.append(f"артикул «{offer}» не найден в ваших магазинах")
        elif offer in seen:
            problems.append(f"артикул «{offer}» уже есть в строке {seen[offer]}")
        values: dict[str, int] = {}
        for header, field in FIELDS.items():
            parsed = _integer(get(header), header)
            if isinstance(parsed, str):
                problems.append(parsed)
            values[field] = getattr(defaults, field) if parsed is None or isinstance(parsed, str) else parsed
        if problems:
            errors.extend(ParamIssue(row=number, message=p) for p in problems)
            continue
        seen[offer] = number
        out.append(SkuParams(offer_id=offer, params=SupplyParams(**values)))
    return ([] if errors else out), errors
