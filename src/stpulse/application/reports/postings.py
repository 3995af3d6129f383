"""Операционка's drill-down: the posting lines behind a cell (ordered or cancelled units of a SKU or a day)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.facts_ports import PostingLine
from stpulse.application.reports.sources import ShopKeys
from stpulse.application.reports.views import ReportRequest, _selected, _shops, resolve_period
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import parse_month

PAGE = 50
COLUMNS = {"ordered_units": None, "cancelled_units": True}


class PostingPage(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    lines: tuple[PostingLine, ...]
    shop_names: dict[uuid.UUID, str]
    count: int
    page: int
    pages: int


def _days(row: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date, str]:
    """A time row («day:2026-05-01», «week:…», «month:…») → its days within the period and a title."""
    kind, _, text = row.partition(":")
    try:
        start = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"row": "Неизвестная строка отчёта"}) from None
    if kind == "day":
        end = start
    elif kind == "week":
        end = start + dt.timedelta(days=6)
    else:
        m = parse_month(start.strftime("%Y-%m")) + 1
        end = dt.date(1970 + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    lo, hi = max(first, start), min(last, end)
    title = f"{lo:%d.%m.%Y}" if lo == hi else f"{lo:%d.%m.%Y} — {hi:%d.%m.%Y}"
    return lo, hi, title


async def posting_lines(deps: ReportsDeps, actor: Actor, req: ReportRequest, row: str, column: str,
                        page: int = 1) -> PostingPage:
    """The lines behind one cell, 50 a page; the shops are the member's chosen ones, checked here."""
    actor.membership.require(Permission.VIEW)
    if column not in COLUMNS:
        raise ValidationError({"col": "Этот столбец не раскрывается"})
    period = resolve_period(deps, req)
    first, last = period.first_day, period.last_day
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids)
        keys = ShopKeys.of(chosen)
        shops, sku, what = [s.id for s in keys.shops], None, "Все товары"
        if row == "total":
            pass
        elif row.split(":")[0] in ("day", "week", "month"):
            first, last, what = _days(row, first, last)
        else:
            shop_key, _, sku_text = row.partition(":")
            if not (shop_key.isdigit() and sku_text.isdigit()) or not 1 <= int(shop_key) <= len(keys.shops):
                raise ValidationError({"row": "Неизвестная строка отчёта"})
            shops, sku, what = [keys.shop(int(shop_key)).id], int(sku_text), f"SKU {sku_text}"
        page = max(page, 1)
        lines, count = await uow.report_facts.postings(shops, first, last, sku, COLUMNS[column], (page - 1) * PAGE, PAGE)
    label = "Отменённые отправления" if COLUMNS[column] else "Заказанные отправления"
    return PostingPage(title=f"{label}: {what}", lines=tuple(lines), shop_names={s.id: s.name for s in chosen},
                       count=count, page=page, pages=max(1, -(-count // PAGE)))
