"""P&L articles as data and the editable mapping «Ozon accrual type → article».

Amounts keep Ozon's sign everywhere (income positive, expense negative), so every report row is a plain sum.
An article's `sign` is the sign it normally has; it is used for display and checks, never for arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

import msgspec
import numpy as np

from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES


class Section(StrEnum):
    REVENUE = "revenue"  # Выручка, Возвраты, Выкупы Озоном
    OZON = "ozon"  # Расходы Ozon (by article)
    COMPENSATION = "compensation"  # Компенсации Ozon (+)
    EXTERNAL_ADS = "external_ads"  # Реклама из рекламного кабинета (Performance API)
    NON_PNL = "non_pnl"  # shown in ДДС only


class Source(StrEnum):
    ACCRUALS = "accruals"  # /v1/finance/accrual/by-day
    BUYOUTS = "buyouts"  # /v1/finance/products/buyout
    PERFORMANCE = "performance"  # Performance API spend not charged through accruals


class Article(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    section: Section
    sign: int  # +1 income, -1 expense
    source: Source = Source.ACCRUALS


def _a(code: str, name: str, section: Section, sign: int, source: Source = Source.ACCRUALS) -> Article:
    return Article(code=code, name=name, section=section, sign=sign, source=source)


# The order is the index used in the columnar rollups; append new articles at the end only.
ARTICLES: tuple[Article, ...] = (
    _a("revenue", "Выручка", Section.REVENUE, +1),
    _a("returns", "Возвраты", Section.REVENUE, -1),
    _a("buyouts", "Выкупы Озоном", Section.REVENUE, +1, Source.BUYOUTS),
    _a("commission", "Вознаграждение Ozon", Section.OZON, -1),
    _a("logistics", "Логистика", Section.OZON, -1),
    _a("reverse_logistics", "Обратная логистика (возвраты, отмены, невыкупы)", Section.OZON, -1),
    _a("storage", "Хранение и размещение", Section.OZON, -1),
    _a("acquiring", "Эквайринг", Section.OZON, -1),
    _a("promotion", "Продвижение и реклама", Section.OZON, -1),
    _a("subscriptions", "Подписки и сервисы Ozon", Section.OZON, -1),
    _a("packaging", "Упаковка, маркировка, страхование, утилизация", Section.OZON, -1),
    _a("rfbs_fees", "Сервисные сборы rFBS", Section.OZON, -1),
    _a("penalties", "Штрафы", Section.OZON, -1),
    _a("financial_services", "Финансовые услуги (досрочная выплата, рассрочка)", Section.OZON, -1),
    _a("adjustments", "Корректировки и претензии", Section.OZON, -1),
    _a("rfbs_delivery_revenue", "Выручка за доставку от покупателя (rFBS)", Section.OZON, +1),
    _a("other", "Прочие начисления", Section.OZON, -1),
    _a("compensations", "Компенсации и бонусы Ozon", Section.COMPENSATION, +1),
    _a("external_ads", "Реклама из рекламного кабинета", Section.EXTERNAL_ADS, -1, Source.PERFORMANCE),
    _a("non_pnl", "Не влияет на прибыль (взаимозачёт, обеспечительный платёж)", Section.NON_PNL, -1),
)
ARTICLE_INDEX: dict[str, int] = {a.code: i for i, a in enumerate(ARTICLES)}
N_ARTICLES = len(ARTICLES)
REVENUE, RETURNS, BUYOUTS = ARTICLE_INDEX["revenue"], ARTICLE_INDEX["returns"], ARTICLE_INDEX["buyouts"]
COMMISSION, OTHER = ARTICLE_INDEX["commission"], ARTICLE_INDEX["other"]
EXTERNAL_ADS, NON_PNL = ARTICLE_INDEX["external_ads"], ARTICLE_INDEX["non_pnl"]


def articles_of(source: Source) -> tuple[int, ...]:
    """The article indexes a money source feeds: each source replaces only its own rollup rows."""
    return tuple(i for i, a in enumerate(ARTICLES) if a.source is source)


# Targets an admin may map an accrual type to (SALE and COMMISSION parts are fixed by the line component).
MAPPABLE = frozenset(a.code for a in ARTICLES if a.source is Source.ACCRUALS and a.section is not Section.REVENUE)


def article(code: str) -> Article:
    return ARTICLES[ARTICLE_INDEX[code]]


def accrual_indices() -> np.ndarray:
    """Articles fed by accruals: their sum is the sum of all imported accruals."""
    return np.array([i for i, a in enumerate(ARTICLES) if a.source is Source.ACCRUALS], dtype=np.intp)


class LedgerMapping(msgspec.Struct, frozen=True, kw_only=True):
    """Editable type_id → article code. Unknown ids go to «Прочие начисления» and are reported."""

    articles: dict[int, str]

    def __post_init__(self) -> None:
        bad = {tid: code for tid, code in self.articles.items() if code not in MAPPABLE}
        if bad:
            fields = {f"type_id:{tid}": f"Неизвестная статья «{code}»" for tid, code in sorted(bad.items())}
            raise ValidationError(fields, "Сопоставление начислений ссылается на неизвестные статьи")

    @classmethod
    def default(cls) -> LedgerMapping:
        return cls(articles=dict(DEFAULT_TYPE_ARTICLES))

    def with_changes(self, changes: Mapping[int, str]) -> LedgerMapping:
        return LedgerMapping(articles={**self.articles, **changes})

    def resolve(self, line: AccrualLine) -> str:
        if line.component is Component.SALE:
            return "revenue" if line.amount >= 0 else "returns"
        if line.component is Component.COMMISSION:
            return "commission"
        return self.articles.get(line.type_id, "other") if line.type_id is not None else "other"

    def unmapped(self, type_ids: Iterable[int | None]) -> tuple[int | None, ...]:
        """Type ids (None for a service line without one) that fall to «Прочие начисления»."""
        missing = {t for t in type_ids if t is None or t not in self.articles}
        return tuple(sorted(missing, key=lambda t: -1 if t is None else t))

    def lookup_table(self, size: int) -> np.ndarray:
        """Dense int16 table type_id → article index for vectorised resolution; gaps are `other`."""
        table = np.full(max(size, max(self.articles, default=0) + 1), OTHER, dtype=np.int16)
        for tid, code in self.articles.items():
            if tid >= 0:
                table[tid] = ARTICLE_INDEX[code]
        return table
