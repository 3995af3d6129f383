"""The cabinet's fixed places: the sidebar lists them and the search box finds them (one list, two uses)."""

from __future__ import annotations

from stpulse.application.accounts.ports import SearchProvider
from stpulse.application.accounts.search import (
    Destination,
    DestinationSearch,
    PageSearch,
    ProductSearch,
    ShopSearch,
)
from stpulse.domain.reports.registry import REPORTS

SETTINGS = "Настройки"
# (title, url, the words it is also found by) in the sidebar's order, after the reports
PAGES: tuple[Destination, ...] = (
    Destination(kind="Раздел", title="Себестоимость", url="/app/costs",
                words="себестоимость товаров, закупка, шаблон xlsx, cost, cogs"),
    Destination(kind="Раздел", title="Расходы", url="/app/expenses", words="операционные расходы, opex, expenses"),
    Destination(kind="Раздел", title="Параметры поставок", url="/app/planning/params",
                words="срок поставки, кратность коробки, минимальная партия, supply, planning"),
    Destination(kind="Раздел", title="План: цели", url="/app/plan",
                words="план продаж, цели, выручка, прибыль, ДРР, plan, targets"),
    Destination(kind="Раздел", title="Счета и платежи", url="/app/cash",
                words="ДДС, движение денег, банк, касса, поступления, платежи, cash flow"),
    Destination(kind="Раздел", title="Модели", url="/app/models",
                words="модели товаров, размеры, цвета, группировка артикулов, models"),
    Destination(kind=SETTINGS, title="Магазины", url="/app/shops",
                words="Ozon, Client-Id, API-ключ, синхронизация, shops, sync"),
    Destination(kind=SETTINGS, title="Юрлица", url="/app/legal-entities",
                words="ИП, ООО, ИНН, налог, УСН, реквизиты, legal entity, tax"),
    Destination(kind=SETTINGS, title="Команда", url="/app/team", words="сотрудники, роли, приглашение, team, invite"),
    Destination(kind=SETTINGS, title="Документы", url="/app/documents", words="файлы, documents, files"),
    Destination(kind=SETTINGS, title="Профиль", url="/app/profile", words="имя, e-mail, пароль, profile, password"),
    Destination(kind=SETTINGS, title="Подсветка в отчётах", url="/app/report-settings",
                words="пороги, выделение, выкуп, доля возвратов, highlight, thresholds"),
    Destination(kind=SETTINGS, title="API-токены", url="/app/api-tokens", words="токен, JSON, API, tokens"),
    Destination(kind=SETTINGS, title="Тариф и оплата", url="/app/billing",
                words="подписка, тариф, оплата, промокод, счёт, billing, subscription"),
    Destination(kind=SETTINGS, title="Журнал действий", url="/app/activity",
                words="история, аудит, кто изменил, activity, audit log"),
)


def report_destinations() -> tuple[Destination, ...]:
    """Every registered report by its title (and its code: «pnl», «unit»)."""
    return tuple(Destination(kind="Отчёт", title=r.title, url=f"/app/reports/{r.code}", words=r.code)
                 for r in REPORTS.values())


def cabinet_search() -> tuple[SearchProvider, ...]:
    return (DestinationSearch((*report_destinations(), *PAGES)), ShopSearch(), ProductSearch(), PageSearch())
