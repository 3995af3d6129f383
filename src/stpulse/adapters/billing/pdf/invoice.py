"""Invoice (счёт на оплату) as PDF, with fpdf2 and the bundled DejaVu fonts (Cyrillic-capable).

Satisfies `stpulse.application.billing.ports.InvoiceRenderer`. Layout follows the usual Russian form:
the supplier's bank block, the title, supplier and buyer, the items table, totals, VAT line, the total
in words and the signature lines.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from stpulse.adapters.billing.pdf.words import amount_in_words
from stpulse.domain.billing.invoice import InvoiceData, Requisites
from stpulse.domain.kernel.formatting import format_amount

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_LINE = 5.5


def rub(kopecks: int) -> str:
    """1234567 → «12 345,67» (plain spaces: they survive text extraction)."""
    return format_amount(kopecks, sep=" ")


def date_ru(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year} г."


def party_line(party: Requisites) -> str:
    parts = [party.name, f"ИНН {party.inn}"]
    if party.kpp:
        parts.append(f"КПП {party.kpp}")
    if party.address:
        parts.append(party.address)
    return ", ".join(parts)


class PdfInvoiceRenderer:
    def render(self, invoice: InvoiceData) -> bytes:
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_title(f"Счёт на оплату № {invoice.number}")
        pdf.set_author(invoice.supplier.name)
        pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(15, 15, 15)
        pdf.add_page()
        _bank_block(pdf, invoice.supplier)
        _title(pdf, invoice)
        _parties(pdf, invoice)
        _items(pdf, invoice)
        _totals(pdf, invoice)
        _signatures(pdf)
        return bytes(pdf.output())


def _bank_block(pdf: FPDF, supplier: Requisites) -> None:
    pdf.set_font(FONT, size=9)
    rows = (
        (f"{supplier.bank}", "БИК", supplier.bik),
        ("Банк получателя", "Сч. №", supplier.corr_account),
        (f"ИНН {supplier.inn}    КПП {supplier.kpp or '—'}", "Сч. №", supplier.account),
        (supplier.name, "", ""),
        ("Получатель", "", ""),
    )
    with pdf.table(col_widths=(110, 20, 50), first_row_as_headings=False, line_height=_LINE) as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    pdf.ln(6)


def _title(pdf: FPDF, invoice: InvoiceData) -> None:
    pdf.set_font(FONT, "B", 14)
    title = f"Счёт на оплату № {invoice.number} от {date_ru(invoice.date)}"
    pdf.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)


def _parties(pdf: FPDF, invoice: InvoiceData) -> None:
    for label, party in (("Поставщик:", invoice.supplier), ("Покупатель:", invoice.buyer)):
        pdf.set_font(FONT, "B", 9)
        pdf.cell(28, _LINE, label)
        pdf.set_font(FONT, size=9)
        pdf.multi_cell(0, _LINE, party_line(party), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    if invoice.purpose:
        pdf.set_font(FONT, size=9)
        pdf.multi_cell(0, _LINE, f"Основание: {invoice.purpose}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _items(pdf: FPDF, invoice: InvoiceData) -> None:
    pdf.set_font(FONT, size=9)
    align = ("CENTER", "LEFT", "RIGHT", "CENTER", "RIGHT", "RIGHT")
    with pdf.table(col_widths=(8, 82, 16, 12, 31, 31), text_align=align, line_height=_LINE) as table:
        header = table.row()
        for text in ("№", "Товары (работы, услуги)", "Кол-во", "Ед.", "Цена", "Сумма"):
            header.cell(text)
        for number, line in enumerate(invoice.lines, start=1):
            row = table.row()
            for text in (
                str(number),
                line.title,
                str(line.quantity),
                line.unit,
                rub(line.price),
                rub(line.amount),
            ):
                row.cell(text)
    pdf.ln(2)


def _totals(pdf: FPDF, invoice: InvoiceData) -> None:
    vat_label = invoice.vat_text.split(":")[0] + ":" if invoice.vat_rate is not None else "Без НДС"
    vat_value = rub(invoice.vat) if invoice.vat_rate is not None else ""
    for label, value, bold in (
        ("Итого:", rub(invoice.total), True),
        (vat_label, vat_value, False),
        ("Всего к оплате:", rub(invoice.total), True),
    ):
        pdf.set_font(FONT, "B" if bold else "", 9)
        pdf.cell(149, _LINE, label, align="R")
        pdf.cell(31, _LINE, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, size=9)
    count = len(invoice.lines)
    pdf.cell(
        0,
        _LINE,
        f"Всего наименований {count}, на сумму {rub(invoice.total)} руб.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(0, _LINE, amount_in_words(invoice.total), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if invoice.pay_until:
        pdf.set_font(FONT, size=9)
        pdf.cell(0, _LINE, f"Оплатить до {date_ru(invoice.pay_until)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(10)


def _signatures(pdf: FPDF) -> None:
    pdf.set_font(FONT, size=9)
    for role in ("Руководитель", "Бухгалтер"):
        pdf.cell(30, _LINE, role)
        pdf.cell(60, _LINE, "_" * 30, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
