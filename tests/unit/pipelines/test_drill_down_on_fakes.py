"""The drill-down as a seller reads it (issue 18.4), on the synced sandbox shop of the pipeline tests: subtotals by
Ozon's accrual type (named) and by SKU (offer_id and name) that add up to the report's row, filters by SKU, posting,
type and dates, the lines on demand, every line to xlsx, and nothing of a shop the member may not see."""

from __future__ import annotations

import datetime as dt
import io

import msgspec
import openpyxl
import pytest

from stpulse.adapters.sandbox.ozon.reference import real_accrual_types
from stpulse.adapters.xlsx.drill import XlsxLineSheetWriter
from stpulse.application.reports import drill
from stpulse.application.reports.drill import drill_down, export_drill
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.reports.drill import DrillFilter, DrillView
from tests.unit.pipelines.test_sync_and_reports_on_fakes import FIRST, LAST, MONTHS, costed, synced  # noqa: F401

REQ = ReportRequest(month_from=MONTHS[0], month_to=MONTHS[-1])
ROW = "ozon:logistics"
NAMES = {t["id"]: t["description"] or t["name"] for t in real_accrual_types()}


def logistics(world):  # type: ignore[no-untyped-def]
    mapping = LedgerMapping.default()
    return [x for x in world.accrual_lines(FIRST, LAST) if x.component.value == "service"
            and x.type_id is not None and mapping.articles.get(x.type_id) == "logistics"]


async def test_subtotals_by_named_type_and_by_product_add_up_to_the_row(costed):  # type: ignore[no-untyped-def]  # noqa: F811
    deps, actor, world = costed["deps"], costed["actor"], costed["world"]
    row = (await build_report(deps, actor, "pnl", REQ)).table.row(ROW)
    page = await drill_down(deps, actor, "pnl", REQ, ROW, None, 1)
    assert page.lines == ()  # subtotals first, lines on demand
    assert page.amount == row.total == sum(g.amount for g in page.by_type)
    assert sum(g.amount for g in page.by_sku) + (page.sku_rest.amount if page.sku_rest else 0) == row.total
    assert page.total == len(logistics(world))
    for g in page.by_type:
        assert NAMES[g.key] in g.label and str(g.key) in g.label
    product = next(g for g in page.by_sku if g.key)
    i = int(world.catalog.index_of_sku([product.key])[0])
    assert product.label == f"{world.catalog.offer_id(i)} — {world.catalog.name(i)}"


async def test_filters_by_sku_posting_type_and_dates(costed):  # type: ignore[no-untyped-def]  # noqa: F811
    deps, actor, world = costed["deps"], costed["actor"], costed["world"]
    lines = logistics(world)
    sku = next(x.sku for x in lines if x.sku)
    posting = next(x.unit_number for x in lines if x.unit_number)
    type_id = lines[-1].type_id
    day = dt.date(2026, 8, 10)
    cases = [(DrillFilter(sku=sku), [x for x in lines if x.sku == sku]),
             (DrillFilter(posting=posting), [x for x in lines if x.unit_number == posting]),
             (DrillFilter(type_id=type_id), [x for x in lines if x.type_id == type_id]),
             (DrillFilter(day_from=day, day_to=day), [x for x in lines if x.date == day])]
    for filt, want in cases:
        page = await drill_down(deps, actor, "pnl", REQ, ROW, None, 1, filt)
        assert (page.total, page.amount) == (len(want), sum(x.amount for x in want)), filt
    shown = await drill_down(deps, actor, "pnl", REQ, ROW, None, 1, DrillFilter(view=DrillView.LINES, sku=sku))
    assert shown.lines and {r.sku for r in shown.lines} == {sku}
    assert all(NAMES[_id(r.type)] in r.type for r in shown.lines)
    with pytest.raises(ValidationError):
        await drill_down(deps, actor, "pnl", REQ, ROW, None, 1, DrillFilter(day_from=dt.date(2027, 1, 1)))


def _id(label: str) -> int:
    return int(label.rsplit("(", 1)[1].rstrip(")"))


async def test_every_line_goes_to_xlsx(costed, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    deps, actor, world = costed["deps"], costed["actor"], costed["world"]
    monkeypatch.setattr(drill, "CHUNK", 1_000)
    lines = logistics(world)
    data = await export_drill(deps, actor, "pnl", REQ, ROW, None, DrillFilter(), XlsxLineSheetWriter())
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(lines) > 1_000  # more than one chunk
    assert round(sum(r[9] for r in rows) * 100) == sum(x.amount for x in lines)
    assert rows[0][1] == "Сверка" and NAMES[_id(rows[0][7])] in rows[0][7]
    monkeypatch.setattr(drill, "EXPORT_MAX_LINES", 100)  # bounded: too many lines are refused, not written
    with pytest.raises(ValidationError, match="выберите товар"):
        await export_drill(deps, actor, "pnl", REQ, ROW, None, DrillFilter(), XlsxLineSheetWriter())


async def test_a_member_without_access_to_the_shop_reads_none_of_its_lines(costed):  # type: ignore[no-untyped-def]  # noqa: F811
    deps, actor = costed["deps"], costed["actor"]
    restricted = msgspec.structs.replace(actor, membership=msgspec.structs.replace(
        actor.membership, shop_ids=frozenset()))
    page = await drill_down(deps, restricted, "pnl", REQ, ROW, None, 1, DrillFilter(view=DrillView.LINES))
    assert (page.total, page.by_type, page.by_sku, page.lines) == (0, (), (), ())
    data = await export_drill(deps, restricted, "pnl", REQ, ROW, None, DrillFilter(), XlsxLineSheetWriter())
    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(min_row=3, values_only=True))
    assert rows == []
