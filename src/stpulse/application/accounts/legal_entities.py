"""Legal entities of an account (ИП / ООО) with requisites and tax settings."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.shop_access import require_shop, visible_shops
from stpulse.application.billing.policy import require_writable
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.legal import EntityKind, LegalEntity, TaxRegime, validate_legal_entity
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.domain.ledger.shops import Shop


class LegalEntityForm(msgspec.Struct, frozen=True, kw_only=True):
    kind: str = "ip"
    name: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    bank_name: str = ""
    bik: str = ""
    settlement_account: str = ""
    correspondent_account: str = ""
    tax_regime: str = "usn_income"
    tax_rate_percent: str = "6"
    vat_rate: str = "0"
    usn_base: str = "sales"


def _build(form: LegalEntityForm, account_id: uuid.UUID, entity_id: uuid.UUID) -> LegalEntity:
    errors: dict[str, str] = {}
    try:
        kind = EntityKind(form.kind)
    except ValueError:
        errors["kind"] = "Выберите ИП или ООО"
        kind = EntityKind.IP
    try:
        regime = TaxRegime(form.tax_regime)
    except ValueError:
        errors["tax_regime"] = "Выберите систему налогообложения"
        regime = TaxRegime.USN_INCOME
    vat = int(form.vat_rate) if form.vat_rate.strip().isdigit() else -1
    entity = LegalEntity(
        id=entity_id, account_id=account_id, kind=kind, name=form.name.strip()[:300],
        inn=form.inn.strip(), kpp=form.kpp.strip(), ogrn=form.ogrn.strip(), address=form.address.strip()[:500],
        bank_name=form.bank_name.strip()[:300], bik=form.bik.strip(), settlement_account=form.settlement_account.strip(),
        correspondent_account=form.correspondent_account.strip(), tax_regime=regime,
        tax_rate_percent=form.tax_rate_percent.strip().replace(",", ".") or "0", vat_rate=vat,
        usn_base=form.usn_base.strip(),
    )
    try:
        validate_legal_entity(entity)
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    return entity


async def list_legal_entities(deps: AccountsDeps, actor: Actor) -> list[LegalEntity]:
    async with deps.uow() as uow:
        return await uow.legal_entities.for_account(actor.account_id)


async def get_legal_entity(deps: AccountsDeps, actor: Actor, entity_id: uuid.UUID) -> LegalEntity:
    async with deps.uow() as uow:
        entity = await uow.legal_entities.get(actor.account_id, entity_id)
    if entity is None:
        raise NotFound("Юрлицо не найдено")
    return entity


async def add_legal_entity(deps: AccountsDeps, actor: Actor, form: LegalEntityForm) -> LegalEntity:
    actor.membership.require(Permission.EDIT_FINANCE)
    entity = _build(form, actor.account_id, new_id())
    async with deps.uow() as uow:
        await uow.legal_entities.add(entity)
        await uow.commit()
    return entity


async def update_legal_entity(deps: AccountsDeps, actor: Actor, entity_id: uuid.UUID, form: LegalEntityForm) -> LegalEntity:
    actor.membership.require(Permission.EDIT_FINANCE)
    await get_legal_entity(deps, actor, entity_id)
    entity = _build(form, actor.account_id, entity_id)
    async with deps.uow() as uow:
        await uow.legal_entities.update(entity)
        await uow.commit()
    return entity


async def delete_legal_entity(deps: AccountsDeps, actor: Actor, entity_id: uuid.UUID) -> None:
    actor.membership.require(Permission.EDIT_FINANCE)
    await get_legal_entity(deps, actor, entity_id)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await uow.legal_entities.delete(actor.account_id, entity_id)
        await uow.commit()


async def link_shop(deps: AccountsDeps, actor: Actor, shop_id: uuid.UUID, entity_id: uuid.UUID | None) -> Shop:
    """The legal entity whose tax regime the reports apply to the shop; None unlinks (no tax is estimated)."""
    async with deps.uow() as uow:
        shop = await require_shop(uow, actor, shop_id)  # not the member's shop: 404 before any role check
        actor.membership.require(Permission.EDIT_FINANCE)
        await require_writable(uow, actor.account_id, deps.clock.now())
        if entity_id is not None and await uow.legal_entities.get(actor.account_id, entity_id) is None:
            raise ValidationError({"legal_entity_id": "Выберите юрлицо из списка"})
        await uow.shops.set_legal_entity(shop_id, entity_id)
        entity = await uow.legal_entities.get(actor.account_id, entity_id) if entity_id else None
        await uow.audit.record(actor.user.id, "shop.legal_entity", str(shop_id),
                               f"{shop.name} → {entity.name if entity else 'без юрлица'}", deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()
    return msgspec.structs.replace(shop, legal_entity_id=entity_id)


async def linked_shops(deps: AccountsDeps, actor: Actor, entity_id: uuid.UUID) -> list[Shop]:
    async with deps.uow() as uow:
        return [s for s in await visible_shops(uow, actor) if s.legal_entity_id == entity_id]
