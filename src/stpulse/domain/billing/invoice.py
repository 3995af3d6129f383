"""Invoice (счёт на оплату) data for legal entities: parties' requisites, lines, VAT, total in words."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.billing.vat import vat_included, vat_line
from stpulse.domain.kernel.errors import ValidationError


class Requisites(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    inn: str
    kpp: str = ""  # empty for an individual entrepreneur
    address: str = ""
    bank: str = ""
    bik: str = ""
    account: str = ""  # расчётный счёт
    corr_account: str = ""  # корреспондентский счёт

    @classmethod
    def from_legal_entity(cls, entity: LegalEntity) -> Requisites:
        return cls(
            name=entity.name,
            inn=entity.inn,
            kpp=entity.kpp,
            address=entity.address,
            bank=entity.bank_name,
            bik=entity.bik,
            account=entity.settlement_account,
            corr_account=entity.correspondent_account,
        )

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if not self.name.strip():
            errors["name"] = "Укажите наименование"
        if not (self.inn.isdigit() and len(self.inn) in (10, 12)):
            errors["inn"] = "ИНН — 10 или 12 цифр"
        if self.kpp and not (self.kpp.isdigit() and len(self.kpp) == 9):
            errors["kpp"] = "КПП — 9 цифр"
        if self.bik and not (self.bik.isdigit() and len(self.bik) == 9):
            errors["bik"] = "БИК — 9 цифр"
        for field in ("account", "corr_account"):
            value = getattr(self, field)
            if value and not (value.isdigit() and len(value) == 20):
                errors[field] = "Номер счёта — 20 цифр"
        if errors:
            raise ValidationError(errors)


class InvoiceLine(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    quantity: int = 1
    unit: str = "шт"
    price: int  # kopecks per unit, VAT included

    @property
    def amount(self) -> int:
        return self.price * self.quantity


class InvoiceData(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    date: dt.date
    supplier: Requisites
    buyer: Requisites
    lines: tuple[InvoiceLine, ...]
    vat_rate: int | None = None  # percent; None: «Без НДС»
    purpose: str = ""  # e.g. «Оплата по счёту № 17 за подписку STPulse»
    pay_until: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValidationError({"lines": "В счёте нет позиций"})
        if any(line.quantity <= 0 or line.price < 0 for line in self.lines):
            raise ValidationError({"lines": "Количество и цена должны быть положительными"})

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def vat(self) -> int:
        return 0 if self.vat_rate is None else vat_included(self.total, self.vat_rate)

    @property
    def vat_text(self) -> str:
        return vat_line(self.total, self.vat_rate)
