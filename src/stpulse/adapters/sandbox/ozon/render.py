"""Day tables rendered the two ways the outside sees them: Ozon's JSON answer and normalised lines."""

from __future__ import annotations

from collections.abc import Iterator

from stpulse.adapters.sandbox.ozon.day_table import (
    CAT_ITEM,
    CAT_NON_ITEM,
    CAT_POSTING,
    CATEGORY_NAMES,
    COMP_COMMISSION,
    COMP_SALE,
    COMP_SERVICE,
    SCHEMA_NAMES,
    UNIT_NONE,
    UNIT_NUMBER,
    UNIT_ORDER,
    DayTable,
)
from stpulse.adapters.sandbox.ozon.origin import day_of, order_number, posting_number
from stpulse.domain.ledger.accruals import AccrualLine, Component

_COMPONENTS = {COMP_SALE: Component.SALE, COMP_COMMISSION: Component.COMMISSION, COMP_SERVICE: Component.SERVICE}


def money_str(kopecks: int) -> str:
    """Ozon's amount strings: '-13.55', '3592', '-1616.4', '0'."""
    sign = "-" if kopecks < 0 else ""
    roubles, kop = divmod(abs(int(kopecks)), 100)
    if kop == 0:
        return f"{sign}{roubles}"
    if kop % 10 == 0:
        return f"{sign}{roubles}.{kop // 10}"
    return f"{sign}{roubles}.{kop:02d}"


def rub(kopecks: int) -> dict[str, str]:
    return {"amount": money_str(kopecks), "currency": "RUB"}


def unit_number(salt: int, kind: int, a: int, b: int) -> str | None:
    if kind == UNIT_NONE:
        return None
    if kind == UNIT_NUMBER:
        return str(a)
    return order_number(salt, a, b) if kind == UNIT_ORDER else posting_number(salt, a, b)


def accrual_json(table: DayTable, salt: int, start: int, stop: int) -> list[dict]:
    """Accruals [start, stop) of the day in Ozon's /v1/finance/accrual/by-day shape."""
    date = day_of(table.date_index).isoformat()
    lo, hi = int(table.acc_start[start]), int(table.acc_start[stop])
    cols = {k: v[lo:hi].tolist() for k, v in table.ln.items()}
    out = []
    for a in range(start, stop):
        first, last = int(table.acc_start[a]) - lo, int(table.acc_start[a + 1]) - lo
        cat = int(table.acc_cat[a])
        item = {"accrual_id": int(table.acc_id[a]), "date": date, "total_amount": rub(int(table.acc_total[a]))}
        unit = unit_number(salt, int(table.acc_unit_kind[a]), int(table.acc_unit_a[a]), int(table.acc_unit_b[a]))
        if unit is not None:
            item["unit_number"] = unit
        item["accrued_category"] = CATEGORY_NAMES[cat]
        item["posting"] = _posting(cols, first, last, int(table.acc_schema[a])) if cat == CAT_POSTING else None
        item["item_fees"] = _item_fees(cols, first, last) if cat == CAT_ITEM else None
        item["non_item_fee"] = _fee(cols, first) if cat == CAT_NON_ITEM else None
        item["container_fees"] = None
        out.append(item)
    return out


def _fee(cols: dict[str, list[int]], i: int) -> dict:
    return {"type_id": cols["type_id"][i], "accrued": rub(cols["amount"][i])}


def _groups(cols: dict[str, list[int]], first: int, last: int) -> Iterator[range]:
    i = first
    while i < last:
        j = i
        while j < last and cols["group"][j] == cols["group"][i]:
            j += 1
        yield range(i, j)
        i = j


def _posting(cols: dict[str, list[int]], first: int, last: int, schema: int) -> dict:
    products = []
    for group in _groups(cols, first, last):
        i = group[0]
        services = [_fee(cols, j) for j in group if cols["comp"][j] == COMP_SERVICE]
        delivery_total = sum(cols["amount"][j] for j in group if cols["comp"][j] == COMP_SERVICE)
        commission = None
        if cols["comp"][i] == COMP_SALE:
            commission = _commission(cols, i, i + 1)
        products.append({"sku": cols["sku"][i],
                         "delivery": {"total_accrued": rub(delivery_total), "services": services},
                         "commission": commission, "quantity": cols["qty"][i]})
    return {"delivery_schema": SCHEMA_NAMES[schema], "products": products}


def _commission(cols: dict[str, list[int]], sale: int, comm: int) -> dict:
    ratio = cols["ratio_bp"][sale] / 10_000
    return {
        "seller_price": rub(cols["seller_price"][sale]),
        "sale_price": rub(cols["sale_price"][sale]),
        "sale_commission": rub(cols["amount"][comm]),
        "commission": rub(cols["amount"][comm]),
        "commission_ratio": f'value:"{ratio:.6f}"',  # sic: the real answer carries this form
        "sale_amount": rub(cols["amount"][sale]),
        "coinvestment": rub(cols["coinvestment"][sale]),
        "bonus": rub(cols["bonus"][sale]),
    }


def _item_fees(cols: dict[str, list[int]], first: int, last: int) -> dict:
    fees = [{"sku": cols["sku"][g[0]], "fees": [_fee(cols, j) for j in g], "quantity": cols["qty"][g[0]]}
            for g in _groups(cols, first, last)]
    return {"fees": fees}


def accrual_lines(table: DayTable, salt: int) -> Iterator[AccrualLine]:
    """The day's accruals split into normalised lines: one per (accrual, part), in answer order.

    line_no counts from 0 inside an accrual in the order parts appear in the JSON (per product: sale,
    commission, delivery services; ITEM fees per SKU; the NON_ITEM fee). Quantity is the product's (or
    the ITEM SKU's) quantity on every line of that product, 0 for NON_ITEM.
    """
    date = day_of(table.date_index)
    cols = {k: v.tolist() for k, v in table.ln.items()}
    ln_acc, ln_no = table.ln_acc.tolist(), table.ln_no.tolist()
    acc_id, acc_cat, acc_schema = table.acc_id.tolist(), table.acc_cat.tolist(), table.acc_schema.tolist()
    units = [unit_number(salt, k, a, b) for k, a, b in zip(
        table.acc_unit_kind.tolist(), table.acc_unit_a.tolist(), table.acc_unit_b.tolist(), strict=True)]
    for i, a in enumerate(ln_acc):
        comp = cols["comp"][i]
        yield AccrualLine(
            accrual_id=acc_id[a], line_no=ln_no[i], date=date, category=CATEGORY_NAMES[acc_cat[a]],
            unit_number=units[a], sku=cols["sku"][i] or None, component=_COMPONENTS[comp],
            type_id=cols["type_id"][i] if comp == COMP_SERVICE else None, amount=cols["amount"][i],
            quantity=cols["qty"][i], delivery_schema=SCHEMA_NAMES[acc_schema[a]],
        )
