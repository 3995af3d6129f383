"""The invoice PDF carries both parties' ИНН, the amount, VAT line and the total in words."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from stpulse.adapters.billing.pdf.invoice import PdfInvoiceRenderer
from stpulse.application.billing.ports import InvoiceRenderer
from stpulse.domain.billing import InvoiceData, InvoiceLine, Requisites
from stpulse.domain.kernel.errors import ValidationError

SUPPLIER = Requisites(
    name='ООО "СТПульс"',
    inn="7707083893",
    kpp="773601001",
    address="г. Москва, ул. Тестовая, д. 1",
    bank='ПАО "Сбербанк"',
    bik="044525225",
    account="40702810938000000001",
    corr_account="30101810400000000225",
)
BUYER = Requisites(name="ИП Иванов Иван Иванович", inn="500100732259", address="г. Тверь, пр-т Ленина, 5")


def invoice(**kw) -> InvoiceData:
    base = dict(
        number="17",
        date=dt.date(2025, 3, 5),
        supplier=SUPPLIER,
        buyer=BUYER,
        lines=(
            InvoiceLine(title="Подписка STPulse «Профи», 12 месяцев", price=950_400),
            InvoiceLine(title="Дополнительный магазин", price=142_528, quantity=2),
        ),
        vat_rate=20,
        purpose="Оплата подписки STPulse",
        pay_until=dt.date(2025, 3, 15),
    )
    return InvoiceData(**(base | kw))


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_invoice_pdf_text():
    renderer: InvoiceRenderer = PdfInvoiceRenderer()
    data = invoice()
    pdf = renderer.render(data)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Счёт на оплату № 17 от 5 марта 2025 г." in text
    assert "7707083893" in text and "500100732259" in text and "773601001" in text
    assert "044525225" in text and "40702810938000000001" in text and "30101810400000000225" in text
    assert data.total == 1_235_456
    assert "12 354,56" in text
    assert "В том числе НДС 20%" in text and "2 059,09" in text
    assert "Двенадцать тысяч триста пятьдесят четыре рубля 56 копеек" in text


def test_invoice_without_vat():
    text = text_of(
        PdfInvoiceRenderer().render(
            invoice(vat_rate=None, lines=(InvoiceLine(title="Подписка", price=99_000),))
        )
    )
    assert "Без НДС" in text and "Девятьсот девяносто рублей 00 копеек" in text


def test_invoice_validation():
    with pytest.raises(ValidationError):
        invoice(lines=())
    with pytest.raises(ValidationError) as err:
        Requisites(name="X", inn="123", bik="1")
    assert set(err.value.fields) == {"inn", "bik"}
