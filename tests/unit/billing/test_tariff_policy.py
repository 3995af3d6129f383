"""The tariff policy through the use cases (issue 19, «Tariffs enforced»): a test per feature and per limit, the
read-only account, the storage quota. Over HTTP and the JSON API: tests/integration/billing/test_tariff_http.py."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.application.accounts import api_tokens, documents, legal_entities, teams
from stpulse.application.billing.policy import FeatureNotInTariff, TariffRequired
from stpulse.application.costs import cost_book, expenses
from stpulse.application.ozon.sync_plan import run_range
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.billing import Tariff, TariffLimits
from stpulse.domain.ledger.shops import Shop
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import EchoMarkdown, MemoryStorage, PlainHasher, RecordingQueue, ReverseBox
from tests.fakes_uow import memory_uow_factory
from tests.unit.foundation.helpers import actor_for, subscribe

PDF = b"%PDF-1.4\n" + b"x" * 100
BARE = Tariff(code="bare", name="Голый", monthly_price=100_00,
              limits=TariffLimits(max_shops=1, max_skus=10, history_months=3, features=frozenset()))


class _Writer:
    def write_costs(self, book: object, names: object = None) -> bytes:
        return b"xlsx"


async def test_a_never_subscribed_account_writes_nothing_and_is_told_how_to_start(deps):
    owner = await actor_for(deps, trial=False)
    with pytest.raises(TariffRequired, match="пробный период") as refused:
        await api_tokens.create_token(deps, owner, "Скрипт")
    assert refused.value.status == 402 and refused.value.action_url == "/app/billing"
    for write in (documents.upload_document(deps, owner, "a.pdf", PDF),
                  teams.invite_member(deps, owner, teams.Invite(email="m@example.ru", role="manager")),
                  expenses.add_expense(deps, owner, expenses.ExpenseForm(month="2026-10", article="Аренда",
                                                                          amount="100"))):
        with pytest.raises(TariffRequired, match="пробный период"):
            await write


async def test_api_access_only_with_a_tariff_that_has_it(deps):
    owner = await actor_for(deps)
    await subscribe(deps, owner, "pro")
    _, raw = await api_tokens.create_token(deps, owner, "Скрипт")
    assert (await api_tokens.actor_for_token(deps, raw)).account_id == owner.account_id
    await subscribe(deps, owner, "start")  # «Старт» sells no API: the old token stops working too
    with pytest.raises(FeatureNotInTariff, match="Доступ по API.*«Старт»") as refused:
        await api_tokens.actor_for_token(deps, raw)
    assert refused.value.status == 403
    with pytest.raises(FeatureNotInTariff, match="Доступ по API"):
        await api_tokens.create_token(deps, owner, "Второй")


async def test_team_only_with_multi_user(deps, mailer):
    owner = await actor_for(deps)
    await subscribe(deps, owner, "business")
    await teams.invite_member(deps, owner, teams.Invite(email="m@example.ru", role="manager"))
    await subscribe(deps, owner, "start")
    with pytest.raises(FeatureNotInTariff, match="Команда.*«Старт»"):
        await teams.invite_member(deps, owner, teams.Invite(email="n@example.ru", role="manager"))
    token = mailer.last_link("m@example.ru").rsplit("/", 1)[-1]  # an invitation sent earlier cannot be taken now
    from stpulse.application.accounts import identity

    with pytest.raises(FeatureNotInTariff, match="Команда"):
        await identity.register(deps, identity.Register(email="m@example.ru", password="correct-horse-1",
                                                        password_confirm="correct-horse-1", full_name="Сотрудник",
                                                        consent=True, invite_token=token))


async def test_export_only_with_the_export_feature(deps):
    owner = await actor_for(deps)
    await subscribe(deps, owner, "start")
    assert await cost_book.export_costs(deps, owner, _Writer()) == b"xlsx"
    await subscribe(deps, owner, BARE)
    with pytest.raises(FeatureNotInTariff, match="Выгрузка в Excel.*«Голый»"):
        await cost_book.export_costs(deps, owner, _Writer())
    with pytest.raises(FeatureNotInTariff, match="Выгрузка в Excel"):
        await build_report(deps, owner, "pnl", ReportRequest(month_from="2026-10", month_to="2026-11"), export=True)


async def test_history_months_bound_the_reports(deps):
    owner = await actor_for(deps)
    await subscribe(deps, owner, BARE)  # 3 months: September..November 2026 (the clock is in November)
    await _shop(deps, owner)
    with pytest.raises(FeatureNotInTariff, match="история за 3 мес"):  # the JSON API and the CLI: refused
        await build_report(deps, owner, "pnl", ReportRequest(month_from="2026-08", month_to="2026-11"))
    view = await build_report(deps, owner, "pnl", ReportRequest(month_from="2026-01", month_to="2026-11"),
                              lenient=True)  # the page: moved into the tariff's history, with a note
    assert (view.period.first_month, view.period.last_month) == (_month(2026, 9), _month(2026, 11))
    assert any("история за 3 мес" in n and "Тариф" in n for n in view.notices)
    ok = await build_report(deps, owner, "pnl", ReportRequest(month_from="2026-09", month_to="2026-11"))
    assert ok.table is not None
    old = ReportRequest(month_from="2026-01", month_to="2026-11")  # the server's `stpulse report` is not bounded
    assert (await build_report(deps, owner, "pnl", old, operator=True)).period.first_month == _month(2026, 1)


def test_history_months_bound_the_sync() -> None:
    shop = Shop(id=__import__("uuid").uuid4(), account_id=__import__("uuid").uuid4(), name="М", client_id="1")
    today = dt.date(2026, 11, 25)
    assert run_range(shop, today, _sync_cfg(), earliest=dt.date(2026, 9, 1)) == (dt.date(2026, 9, 1), today)
    assert run_range(shop, today, _sync_cfg()) == (dt.date(2025, 12, 1), today)


async def test_storage_quota_refuses_with_the_quota(tmp_path):
    container = bootstrap(Settings(data_dir=tmp_path, documents_quota_bytes=250), uow=memory_uow_factory(),
                          hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(), markdown=EchoMarkdown(),
                          jobs=RecordingQueue(), mailer=__import__("tests.fakes", fromlist=["x"]).MemoryMailer())
    deps = container.deps
    owner = await actor_for(deps)
    await documents.upload_document(deps, owner, "a.pdf", PDF)
    await documents.upload_document(deps, owner, "b.pdf", PDF)
    with pytest.raises(TariffRequired, match="Место для документов — 250\u00a0Б, занято 218\u00a0Б"):
        await documents.upload_document(deps, owner, "c.pdf", PDF)
    assert (await documents.list_documents(deps, owner)).total == 2
    await container.close()


async def test_an_expired_account_is_read_only_and_keeps_its_data(deps):
    owner = await actor_for(deps)
    doc = await documents.upload_document(deps, owner, "a.pdf", PDF)
    entity = await legal_entities.add_legal_entity(deps, owner, legal_entities.LegalEntityForm(
        kind="ip", name="ИП", inn="500100732259", tax_regime="usn_income", tax_rate_percent="6"))
    spent = await expenses.add_expense(deps, owner, expenses.ExpenseForm(month="2026-10", article="Аренда",
                                                                         amount="100"))
    await subscribe(deps, owner, "pro", days_ago=40)  # a month paid 40 days ago, grace over: expired
    writes = [documents.upload_document(deps, owner, "b.pdf", PDF), documents.delete_document(deps, owner, doc.id),
              legal_entities.delete_legal_entity(deps, owner, entity.id),
              expenses.add_expense(deps, owner, expenses.ExpenseForm(month="2026-10", article="Аренда", amount="1")),
              expenses.delete_expense(deps, owner, spent.id), api_tokens.create_token(deps, owner, "Скрипт"),
              teams.invite_member(deps, owner, teams.Invite(email="m@example.ru", role="manager"))]
    for write in writes:
        with pytest.raises(TariffRequired, match="только для просмотра, все данные сохранены"):
            await write
    assert [d.id for d in (await documents.list_documents(deps, owner)).items] == [doc.id]
    assert [e.id for e in await legal_entities.list_legal_entities(deps, owner)] == [entity.id]
    assert [r.id for r in (await expenses.list_expenses(deps, owner, dt.date(2026, 10, 1),
                                                        dt.date(2026, 10, 31)))[0]] == [spent.id]


async def _shop(deps, actor) -> Shop:  # type: ignore[no-untyped-def]
    from stpulse.application.kernel.deps import new_id

    shop = Shop(id=new_id(), account_id=actor.account_id, name="Магазин", client_id="4242")
    async with deps.uow() as uow:
        await uow.shops.add(shop, b"key")
        await uow.commit()
    return shop


def _month(year: int, month: int) -> int:
    return (year - 1970) * 12 + month - 1


def _sync_cfg():  # type: ignore[no-untyped-def]
    from stpulse.application.ozon.deps import SyncConfig

    return SyncConfig()
