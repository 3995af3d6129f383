"""Report settings of the cabinet: the account's SKU models (form and xlsx import), each user's «Показатели» (kept
by `views.build_report`) and the account's highlight thresholds."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import visible_shops
from stpulse.application.billing.policy import require_writable
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.ports import Cell, CostSheetReader
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.reports.kinds import HighlightRule, ReportKind
from stpulse.domain.reports.models import MAX_MODEL, ModelLine, check_model_rows
from stpulse.domain.reports.registry import REPORTS
from stpulse.domain.reports.table import Kind

OFFER, MODEL = "артикул", "модель"
_HEADERS = {"артикул": OFFER, "offer_id": OFFER, "offer id": OFFER, "модель": MODEL, "model": MODEL}


class ModelList(msgspec.Struct, frozen=True, kw_only=True):
    models: dict[str, str]  # offer_id → model
    offers: dict[str, str]  # every offer of the member's shops → product name


async def model_list(deps: ReportsDeps, actor: Actor) -> ModelList:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        catalog = await uow.report_data.catalog([s.id for s in await visible_shops(uow, actor)])
        models = await uow.report_settings.models(actor.account_id)
    return ModelList(models=models, offers={c.offer_id: c.name for c in sorted(catalog, key=lambda c: c.offer_id)})


async def set_model(deps: ReportsDeps, actor: Actor, offer_id: str, model: str) -> None:
    """The form: one offer's model (empty: the offer leaves its model)."""
    await _write(deps, actor, [(2, offer_id, model)], allow_empty=True)


async def import_models(deps: ReportsDeps, actor: Actor, data: bytes, reader: CostSheetReader) -> int:
    """An xlsx «Артикул | Модель»: every row right, or nothing is written (ValidationError with the rows' errors)."""
    rows = reader.read_rows(data)  # raises UploadRefused for a file that is not a safe xlsx
    return await _write(deps, actor, _model_rows(rows))


def _model_rows(rows: list[list[Cell]]) -> list[tuple[int, str, str]]:
    if not rows:
        raise ValidationError({"file": "Файл пуст: нужны столбцы «Артикул» и «Модель»"},
                              "Файл пуст: нужны столбцы «Артикул» и «Модель»")
    header = {_HEADERS.get(re.sub(r"\s+", " ", str(c or "")).strip().lower()): i for i, c in enumerate(rows[0])}
    if OFFER not in header or MODEL not in header:
        message = "В первой строке нужны заголовки «Артикул» и «Модель»"
        raise ValidationError({"file": message}, message)
    o, m = header[OFFER], header[MODEL]
    cell = lambda r, i: "" if i >= len(r) or r[i] is None else str(r[i])  # noqa: E731
    return [(n, cell(r, o).removesuffix(".0") if isinstance(r[o] if o < len(r) else None, float) else cell(r, o),
             cell(r, m)) for n, r in enumerate(rows[1:], start=2)]


async def _write(deps: ReportsDeps, actor: Actor, rows: Sequence[tuple[int, str, str]], allow_empty: bool = False) -> int:
    actor.membership.require(Permission.EDIT_DATA)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        known = frozenset(c.offer_id for c in await uow.report_data.catalog(
            [s.id for s in await visible_shops(uow, actor)]))
        if allow_empty and rows and not " ".join(rows[0][2].split()):
            n, offer, _ = rows[0]
            if offer.strip() not in known:
                raise ValidationError({"offer_id": "Артикул не найден в ваших магазинах"})
            await uow.report_settings.replace_models(actor.account_id, {offer.strip(): ""})
            await uow.commit()
            return 1
        lines, errors = check_model_rows(rows, known)
        if errors:
            first = next(iter(errors.values()))
            raise ValidationError(errors, first if len(errors) == 1 else f"Ошибок в файле: {len(errors)}. Ничего не записано.")
        if not lines:
            raise ValidationError({"file": "В файле нет ни одной строки с артикулом и моделью"},
                                  "В файле нет ни одной строки с артикулом и моделью")
        await uow.report_settings.replace_models(actor.account_id, _lines(lines))
        await uow.commit()
    return len(lines)


def _lines(lines: list[ModelLine]) -> Mapping[str, str]:
    return {x.offer_id: x.model[:MAX_MODEL] for x in lines}


class ThresholdRow(msgspec.Struct, frozen=True, kw_only=True):
    report: str  # the report's title
    code: str
    label: str
    percent: bool
    default: int
    value: int  # the account's, else the default


def _rules() -> list[tuple[ReportKind, HighlightRule, bool]]:
    out = []
    for kind in REPORTS.values():
        kinds = {c.code: c.kind for c in kind.columns}
        for rule in kind.highlights:
            if rule.code:
                percent = any(kinds.get(c) is Kind.PERCENT for c in (rule.columns or ()))
                out.append((kind, rule, percent))
    return out


async def thresholds(deps: ReportsDeps, actor: Actor) -> list[ThresholdRow]:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        own = await uow.report_settings.thresholds(actor.account_id)
    return [ThresholdRow(report=k.title, code=r.code, label=r.label, percent=p, default=r.below,
                         value=own.get(r.code, r.below)) for k, r, p in _rules()]


async def save_thresholds(deps: ReportsDeps, actor: Actor, form: Mapping[str, str]) -> None:
    """Percents as «70» or «12,5» (stored in basis points), counts as whole numbers; an empty field is the default."""
    actor.membership.require(Permission.EDIT_DATA)
    values: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for _, rule, percent in _rules():
        text = (form.get(rule.code) or "").strip().replace(",", ".").replace(" ", "")
        if not text:
            values[rule.code] = None
            continue
        try:
            number = float(text)
        except ValueError:
            errors[rule.code] = "Введите число"
            continue
        if percent and not 0 <= number <= 100:
            errors[rule.code] = "Процент — от 0 до 100"
        elif not percent and not 0 <= number <= 1_000_000:
            errors[rule.code] = "Число от 0 до 1 000 000"
        else:
            values[rule.code] = round(number * 100) if percent else round(number)
    if errors:
        raise ValidationError(errors, "Проверьте пороги подсветки")
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await uow.report_settings.save_thresholds(actor.account_id, values)
        await uow.commit()
