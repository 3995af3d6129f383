"""Legal entities (ИП / ООО), their requisites with checksum validation, and tax settings."""

from __future__ import annotations

import uuid
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.errors import ValidationError


class EntityKind(StrEnum):
    IP = "ip"
    OOO = "ooo"


class TaxRegime(StrEnum):
    USN_INCOME = "usn_income"
    USN_INCOME_EXPENSE = "usn_income_expense"
    OSN = "osn"


TAX_REGIME_LABELS = {
    TaxRegime.USN_INCOME: "УСН «доходы»",
    TaxRegime.USN_INCOME_EXPENSE: "УСН «доходы минус расходы»",
    TaxRegime.OSN: "ОСН",
}
DEFAULT_TAX_RATE = {TaxRegime.USN_INCOME: "6", TaxRegime.USN_INCOME_EXPENSE: "15", TaxRegime.OSN: "25"}
VAT_RATES = (0, 5, 7, 10, 20, 22)
USN_BASES = ("sales", "payouts")  # УСН «доходы»: the realization report's sales − returns, or Ozon's payouts


class LegalEntity(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    kind: EntityKind
    name: str
    inn: str
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    bank_name: str = ""
    bik: str = ""
    settlement_account: str = ""
    correspondent_account: str = ""
    tax_regime: TaxRegime = TaxRegime.USN_INCOME
    tax_rate_percent: str = "6"  # decimal as text: regional rates such as "4" or "1.5"
    vat_rate: int = 0
    usn_base: str = "sales"  # one of USN_BASES (DOMAIN.md «Tax»)


def _digits(value: str, lengths: tuple[int, ...]) -> bool:
    return value.isdigit() and len(value) in lengths


def inn_is_valid(inn: str) -> bool:
    """ИНН: 10 digits (organisation) or 12 digits (person) with the FNS control digits."""
    if not _digits(inn, (10, 12)):
        return False
    if len(inn) == 10:
        return _checksum(inn, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[9])
    n11 = _checksum(inn, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    n12 = _checksum(inn, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    return n11 == int(inn[10]) and n12 == int(inn[11])


def ogrn_is_valid(ogrn: str) -> bool:
    """ОГРН (13 digits, mod 11) or ОГРНИП (15 digits, mod 13); the last digit is the control."""
    if not _digits(ogrn, (13, 15)):
        return False
    body, control = int(ogrn[:-1]), int(ogrn[-1])
    modulus = 11 if len(ogrn) == 13 else 13
    return body % modulus % 10 == control


def _checksum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def _bank_account_valid(bik: str, account: str, correspondent: bool) -> bool:
    if not (_digits(bik, (9,)) and _digits(account, (20,))):
        return False
    prefix = ("0" + bik[4:6]) if correspondent else bik[-3:]
    weights = (7, 1, 3) * 8
    total = sum(int(d) * w for d, w in zip(prefix + account, weights, strict=False))
    return total % 10 == 0


def validate_legal_entity(entity: LegalEntity) -> LegalEntity:
    errors: dict[str, str] = {}
    if not entity.name.strip():
        errors["name"] = "Укажите наименование"
    _check_inn(entity, errors)
    _check_registration(entity, errors)
    _check_bank(entity, errors)
    _check_tax(entity, errors)
    if errors:
        raise ValidationError(errors)
    return entity


def _check_inn(entity: LegalEntity, errors: dict[str, str]) -> None:
    expected = 12 if entity.kind is EntityKind.IP else 10
    if not _digits(entity.inn, (10, 12)):
        errors["inn"] = f"ИНН {'ИП' if expected == 12 else 'ООО'} состоит из {expected} цифр"
    elif not inn_is_valid(entity.inn):
        errors["inn"] = "ИНН указан неверно: не сходится контрольное число"
    elif len(entity.inn) != expected:
        errors["inn"] = f"ИНН {'ИП' if expected == 12 else 'ООО'} состоит из {expected} цифр"


def _check_registration(entity: LegalEntity, errors: dict[str, str]) -> None:
    if entity.kind is EntityKind.OOO:
        if not _digits(entity.kpp, (9,)):
            errors["kpp"] = "КПП состоит из 9 цифр"
    elif entity.kpp:
        errors["kpp"] = "У ИП нет КПП — оставьте поле пустым"
    if entity.ogrn:
        expected = 15 if entity.kind is EntityKind.IP else 13
        if len(entity.ogrn) != expected or not ogrn_is_valid(entity.ogrn):
            label = "ОГРНИП (15 цифр)" if expected == 15 else "ОГРН (13 цифр)"
            errors["ogrn"] = f"{label} указан неверно"


def _check_bank(entity: LegalEntity, errors: dict[str, str]) -> None:
    filled = [entity.bik, entity.settlement_account, entity.correspondent_account]
    if not any(filled):
        return
    if not _digits(entity.bik, (9,)):
        errors["bik"] = "БИК состоит из 9 цифр"
        return
    if not _bank_account_valid(entity.bik, entity.settlement_account, correspondent=False):
        errors["settlement_account"] = "Расчётный счёт не соответствует БИК (20 цифр с контрольным ключом)"
    if not _bank_account_valid(entity.bik, entity.correspondent_account, correspondent=True):
        errors["correspondent_account"] = "Корреспондентский счёт не соответствует БИК"


def _check_tax(entity: LegalEntity, errors: dict[str, str]) -> None:
    try:
        rate = float(entity.tax_rate_percent.replace(",", "."))
    except ValueError:
        errors["tax_rate_percent"] = "Ставка налога — число, например 6 или 1,5"
    else:
        if not 0 <= rate <= 30:
            errors["tax_rate_percent"] = "Ставка налога должна быть от 0 до 30 %"
    if entity.vat_rate not in VAT_RATES:
        errors["vat_rate"] = "Ставка НДС: 0, 5, 7, 10, 20 или 22 %"
    if entity.usn_base not in USN_BASES:
        errors["usn_base"] = "База УСН «доходы»: отчёт о реализации или выплаты Ozon"
