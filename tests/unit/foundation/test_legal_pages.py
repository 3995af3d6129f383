"""Issue 18.17: real legal pages (оферта, политика ПДн, согласие по 152-ФЗ) filled from the operator's
requisites, versioned; a consent records the edition accepted."""

from __future__ import annotations

from stpulse.application.accounts.content import ensure_legal_pages
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.content import ContentPage
from stpulse.domain.accounts.legal_docs import LEGAL_VERSION, Operator, legal_docs
from stpulse.domain.accounts.users import CONSENT_VERSION
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings

OPERATOR = Operator(name="ООО «Ромашка»", inn="7707083893", ogrn="1027700132195", address="г. Москва, ул. Льва "
                    "Толстого, д. 16", email="pd@romashka.ru", site="https://romashka.ru")


def test_every_document_is_filled_from_the_requisites_and_marked_with_its_edition():
    docs = {d.slug: d for d in legal_docs(OPERATOR)}
    assert set(docs) == {"offer", "privacy", "consent"}
    for doc in docs.values():
        assert "ООО «Ромашка»" in doc.body_markdown and "7707083893" in doc.body_markdown
        assert "1027700132195" in doc.body_markdown and f"версия {LEGAL_VERSION}" in doc.body_markdown
        assert "{" not in doc.body_markdown  # every placeholder filled
    assert "ст. 9" in docs["consent"].body_markdown and "отозвать" in docs["consent"].body_markdown
    assert "https://romashka.ru/pages/privacy" in docs["privacy"].body_markdown
    assert "ст. 438 ГК РФ" in docs["offer"].body_markdown
    assert CONSENT_VERSION == LEGAL_VERSION  # a registration stores the edition of the consent it accepted


def test_settings_name_the_operator(tmp_path):
    settings = Settings(data_dir=tmp_path, operator_name="ИП Иванов", operator_inn="500100732259",
                        operator_ogrn="304500116000157", operator_address="г. Тула", operator_email="a@b.ru")
    assert settings.operator().requisites == ("ИП Иванов, ИНН 500100732259, ОГРН 304500116000157, адрес: г. Тула, "
                                              "e-mail: a@b.ru")


async def test_missing_or_placeholder_pages_are_written_and_current_ones_kept(deps: Deps):
    async with deps.uow() as uow:
        await uow.pages.add(ContentPage(id=new_id(), slug="offer", title="Публичная оферта",
                                        body_markdown="Текст оферты STPulse. Сервис предоставляется по подписке."))
        await uow.commit()
    assert await ensure_legal_pages(deps, OPERATOR) == ["offer", "privacy", "consent"]
    async with deps.uow() as uow:
        offer = await uow.pages.by_slug("offer")
        assert offer is not None and "ООО «Ромашка»" in offer.body_markdown and offer.published
    assert await ensure_legal_pages(deps, OPERATOR) == []
