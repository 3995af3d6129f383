"""Supply parameter sheets: the export / template in the import format (reading uses the costs' guarded reader)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from stpulse.domain.planning.params import BOX, COVER, LEAD, MIN_ORDER, OFFER, SAFETY, SkuParams

NAME = "Товар"
COLUMNS = (OFFER, NAME, LEAD, COVER, SAFETY, BOX, MIN_ORDER)


class XlsxParamsSheetWriter:
    """Satisfies application.planning.ports.ParamsSheetWriter: a row per product; the defaults' cells left empty."""

    def write_params(self, rows: Sequence[tuple[str, str, SkuParams | None]]) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet("Параметры поставок")
        head = wb.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True})
        ws.write_row(0, 0, COLUMNS, head)
        for i, (offer, name, own) in enumerate(rows, start=1):
            ws.write_string(i, 0, offer)
            ws.write_string(i, 1, name)
            if own is not None:
                p = own.params
                for j, value in enumerate((p.lead_days, p.cover_days, p.safety_days, p.box, p.min_order), start=2):
                    ws.write_number(i, j, value)
        ws.freeze_panes(1, 1)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 44)
        ws.set_column(2, len(COLUMNS) - 1, 16)
        wb.close()
        return buf.getvalue()
