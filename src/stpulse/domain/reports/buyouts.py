"""«Выкупы Озоном»: the goods Ozon bought out (for sale in the ЕАЭС), line by line — posting, SKU, quantity, buyout
price, amount — with a total per month and for the period. The same money is the P&L's «Выкупы Озоном» row
(the rollups of the article `buyouts`, written from these very lines)."""

from __future__ import annotations

from collections import defaultdict

from stpulse.domain.kernel.period import month_label_lower, period_label
from stpulse.domain.reports.buyout_lines import BuyoutLine
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.table import Column, Kind, Row, Table

COLUMNS = (Column(code="quantity", label="Количество", kind=Kind.COUNT),
           Column(code="buyout_price", label="Цена выкупа", kind=Kind.MONEY),
           Column(code="amount", label="Сумма", kind=Kind.MONEY))
EMPTY = "Ozon не выкупал товары выбранных магазинов в этом периоде"


def build_buyouts(inputs: ReportInputs) -> Table:
    first, last = inputs.period.first_day, inputs.period.last_day
    shops = set(inputs.shop_ids)
    lines = sorted((x for x in inputs.buyouts if first <= x.day <= last and x.shop_id in shops),
                   key=lambda x: (x.day, x.shop_id, x.posting_number, x.sku))
    several = len(shops) > 1
    rows = [_line(x, several) for x in lines]
    by_month: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for x in lines:
        month = (x.day.year - 1970) * 12 + x.day.month - 1
        by_month[month][0] += x.quantity
        by_month[month][1] += x.amount
    for month in inputs.period.months:
        quantity, amount = by_month.get(month, (0, 0))
        rows.append(Row(code=f"month:{month}", label=f"Итого за {month_label_lower(month)}", kind=Kind.MONEY,
                        values=(quantity, None, amount), emphasis=True))
    rows.append(Row(code="total", label="Итого за период", kind=Kind.MONEY, emphasis=True,
                    values=(sum(x.quantity for x in lines), None, sum(x.amount for x in lines))))
    return Table(code="buyouts", title="Выкупы Озоном", first_header="Дата · отправление · товар", columns=COLUMNS,
                 rows=tuple(rows), total_label=None, warnings=() if lines else (EMPTY,),
                 period=period_label(inputs.period.first_month, inputs.period.last_month))


def _line(x: BuyoutLine, several: bool) -> Row:
    product = f"{x.offer_id} — {x.name}" if x.name else x.offer_id
    shop = f"магазин {x.shop_id} · " if several else ""
    return Row(code=f"{x.shop_id}:{x.posting_number}:{x.sku}", kind=Kind.MONEY,
               label=f"{x.day:%d.%m.%Y} · {shop}{x.posting_number} · SKU {x.sku} · {product}",
               values=(x.quantity, x.buyout_price, x.amount))
