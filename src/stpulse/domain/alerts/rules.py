"""Alert rules: what each watches, its editable threshold, whether it is urgent, and the pure evaluation over the
facts the application gathers (report figures, shops, the ledger's queue, the subscription).

A finding names its cause (`cause`): the same cause never makes a second alert. A rule whose data does not exist
yet (stock run-out: supply planning; ДРР above break-even: advertising) is declared with `available=False` and its
facts field stays empty — the evaluation skips it until the context that feeds it lands."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.formatting import format_rub


class RuleCode(StrEnum):
    LOSS_SKU = "loss_sku"
    MARGIN_DROP = "margin_drop"
    RETURN_SPIKE = "return_spike"
    STOCK_RUNOUT = "stock_runout"
    DRR_ABOVE_BREAKEVEN = "drr_above_breakeven"
    SYNC_FAILING = "sync_failing"
    UNMAPPED_TYPE = "unmapped_type"
    BILLING = "billing"


class Channel(StrEnum):
    EMAIL = "email"  # an e-mail at once (and the notification centre)
    DIGEST = "digest"  # the daily digest e-mail (and the centre)
    APP = "app"  # only the notification centre
    OFF = "off"

    @property
    def label(self) -> str:
        return {"email": "Письмо сразу", "digest": "В ежедневной сводке", "app": "Только в кабинете",
                "off": "Не уведомлять"}[self.value]


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    code: RuleCode
    title: str
    threshold_label: str  # what the threshold means, with its unit
    default_threshold: int
    low: int
    high: int
    urgent: bool = False
    available: bool = True  # False: a hook; its data comes with a later context

    @property
    def default_channel(self) -> Channel:
        return Channel.EMAIL if self.urgent else Channel.DIGEST


RULES: dict[RuleCode, Rule] = {r.code: r for r in (
    Rule(code=RuleCode.LOSS_SKU, title="Товар в убытке", threshold_label="за последние N дней", default_threshold=30,
         low=1, high=365),
    Rule(code=RuleCode.MARGIN_DROP, title="Рентабельность упала к прошлому месяцу",
         threshold_label="больше чем на X п. п.", default_threshold=5, low=1, high=100),
    Rule(code=RuleCode.RETURN_SPIKE, title="Доля возвратов выросла к прошлому месяцу",
         threshold_label="больше чем на X п. п.", default_threshold=5, low=1, high=100),
    Rule(code=RuleCode.STOCK_RUNOUT, title="Товар закончится раньше, чем придёт поставка",
         threshold_label="срок поставки, дней", default_threshold=14, low=1, high=180, urgent=True, available=False),
    Rule(code=RuleCode.DRR_ABOVE_BREAKEVEN, title="ДРР выше точки безубыточности",
         threshold_label="запас, п. п.", default_threshold=0, low=0, high=100, available=False),
    Rule(code=RuleCode.SYNC_FAILING, title="Синхронизация с Ozon не проходит",
         threshold_label="дольше N часов", default_threshold=6, low=1, high=168, urgent=True),
    Rule(code=RuleCode.UNMAPPED_TYPE, title="Новый тип начисления Ozon без статьи",
         threshold_label="начислений не меньше", default_threshold=1, low=1, high=100000),
    Rule(code=RuleCode.BILLING, title="Подписка заканчивается или платёж не прошёл",
         threshold_label="за N дней до конца", default_threshold=3, low=1, high=30, urgent=True),
)}


class Setting(msgspec.Struct, frozen=True, kw_only=True):
    rule: RuleCode
    threshold: int
    enabled: bool = True


def default_settings() -> dict[RuleCode, Setting]:
    return {code: Setting(rule=code, threshold=r.default_threshold) for code, r in RULES.items()}


class LosingSku(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # the Юнитка row code
    label: str
    profit: int  # kopecks, negative
    shop_id: str = ""  # the shop whose Юнитка it is (its alert is that shop's)


class StaleShop(msgspec.Struct, frozen=True, kw_only=True):
    shop_id: str
    name: str
    last_synced_at: dt.datetime | None
    failing: bool  # its latest run failed or its key is refused


class Unmapped(msgspec.Struct, frozen=True, kw_only=True):
    type_id: int | None
    name: str
    lines: int


class BillingState(msgspec.Struct, frozen=True, kw_only=True):
    status: str  # the subscription's status code
    ends_at: dt.datetime | None
    payment_failed_at: dt.datetime | None = None


class Facts(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules read, gathered by the application for one account at `now`; None: not known (yet)."""

    now: dt.datetime
    month: str  # the current Moscow month, «2026-11»
    losing_skus: tuple[LosingSku, ...] = ()
    loss_period: str = ""  # the months the losing SKUs were computed over
    margin_bp: int | None = None  # this month's profitability (net profit / net revenue), basis points
    prev_margin_bp: int | None = None
    return_share_bp: int | None = None  # returns / revenue, basis points
    prev_return_share_bp: int | None = None
    shops: tuple[StaleShop, ...] = ()
    unmapped: tuple[Unmapped, ...] = ()
    billing: BillingState | None = None
    stock_runouts: tuple[tuple[str, str, int], ...] | None = None  # hook: (sku code, label, days of stock left)
    drr_over: tuple[tuple[str, str, int, int], ...] | None = None  # hook: (sku code, label, ДРР bp, break-even bp)


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    rule: RuleCode
    cause: str  # names the cause: one alert per cause, ever
    title: str
    body: str
    url: str
    urgent: bool
    shop_id: str | None = None  # the shop it concerns; None: the account as a whole (seen by every-shop members)


def _pp(bp: int) -> str:
    return f"{bp / 100:.1f}".replace(".", ",")


def evaluate(facts: Facts, settings: dict[RuleCode, Setting]) -> list[Finding]:
    """Every finding of the enabled rules (pure: the same facts give the same findings)."""
    out: list[Finding] = []
    on = {code for code, s in settings.items() if s.enabled and RULES[code].available}

    def threshold(code: RuleCode) -> int:
        return settings[code].threshold

    def add(code: RuleCode, cause: str, title: str, body: str, url: str, shop_id: str | None = None) -> None:
        out.append(Finding(rule=code, cause=f"{code.value}:{cause}", title=title, body=body, url=url,
                           urgent=RULES[code].urgent, shop_id=shop_id))

    if RuleCode.LOSS_SKU in on:
        for sku in facts.losing_skus:
            add(RuleCode.LOSS_SKU, f"{sku.shop_id}:{sku.code}:{facts.month}" if sku.shop_id else f"{sku.code}:{facts.month}", f"Убыточный товар: {sku.label}",
                f"Прибыль за {facts.loss_period}: {format_rub(sku.profit)}",
                f"/app/reports/unit?shops={sku.shop_id}" if sku.shop_id else "/app/reports/unit",
                shop_id=sku.shop_id or None)
    if RuleCode.MARGIN_DROP in on and facts.margin_bp is not None and facts.prev_margin_bp is not None:
        drop = facts.prev_margin_bp - facts.margin_bp
        if drop > threshold(RuleCode.MARGIN_DROP) * 100:
            add(RuleCode.MARGIN_DROP, facts.month, f"Рентабельность упала на {_pp(drop)} п. п.",
                f"В этом месяце {_pp(facts.margin_bp)} %, в прошлом {_pp(facts.prev_margin_bp)} %", "/app/reports/pnl")
    if RuleCode.RETURN_SPIKE in on and facts.return_share_bp is not None and facts.prev_return_share_bp is not None:
        rise = facts.return_share_bp - facts.prev_return_share_bp
        if rise > threshold(RuleCode.RETURN_SPIKE) * 100:
            add(RuleCode.RETURN_SPIKE, facts.month, f"Доля возвратов выросла на {_pp(rise)} п. п.",
                f"В этом месяце {_pp(facts.return_share_bp)} % выручки, в прошлом {_pp(facts.prev_return_share_bp)} %",
                "/app/reports/pnl")
    if RuleCode.SYNC_FAILING in on:
        limit = dt.timedelta(hours=threshold(RuleCode.SYNC_FAILING))
        for shop in facts.shops:
            since = shop.last_synced_at
            if shop.failing and (since is None or facts.now - since > limit):
                hours = "" if since is None else f" {int((facts.now - since).total_seconds() // 3600)} ч"
                add(RuleCode.SYNC_FAILING, f"{shop.shop_id}:{since.isoformat() if since else 'never'}",
                    f"Магазин «{shop.name}» не синхронизируется{hours}",
                    "Проверьте ключ Ozon API на странице магазина", f"/app/shops/{shop.shop_id}", shop_id=shop.shop_id)
    if RuleCode.UNMAPPED_TYPE in on:
        for u in facts.unmapped:
            if u.lines >= threshold(RuleCode.UNMAPPED_TYPE):
                name = u.name or (f"тип {u.type_id}" if u.type_id is not None else "без типа")
                add(RuleCode.UNMAPPED_TYPE, str(u.type_id), f"Начисление Ozon без статьи: {name}",
                    f"Строк: {u.lines}. Пока тип не сопоставлен статье, его суммы в ОПиУ идут в «Прочие»",
                    "/app/reports/pnl")
    if RuleCode.BILLING in on and facts.billing is not None:
        b = facts.billing
        if b.payment_failed_at is not None:
            add(RuleCode.BILLING, f"failed:{b.payment_failed_at.isoformat()}", "Платёж за подписку не прошёл",
                "Оплатите другой картой или по счёту", "/app/billing")
        ends = b.ends_at
        if ends is not None and b.status in ("trial", "active") and \
                facts.now < ends <= facts.now + dt.timedelta(days=threshold(RuleCode.BILLING)):
            add(RuleCode.BILLING, f"ending:{ends:%Y%m%d}", "Подписка скоро закончится",
                f"Доступ действует до {ends:%d.%m.%Y}", "/app/billing")
        if b.status in ("past_due", "expired") and ends is not None:
            add(RuleCode.BILLING, f"{b.status}:{ends:%Y%m%d}", "Подписка закончилась" if b.status == "expired"
                else "Подписка не оплачена", "Продлите подписку, чтобы отчёты обновлялись", "/app/billing")
    if RuleCode.STOCK_RUNOUT in on and facts.stock_runouts:  # hook: supply planning fills stock_runouts
        for code, label, days in facts.stock_runouts:
            if days < threshold(RuleCode.STOCK_RUNOUT):
                add(RuleCode.STOCK_RUNOUT, f"{code}:{facts.month}", f"Закончится раньше поставки: {label}",
                    f"Запаса на {days} дн.", "/app/reports")
    if RuleCode.DRR_ABOVE_BREAKEVEN in on and facts.drr_over:  # hook: advertising fills drr_over
        for code, label, drr, breakeven in facts.drr_over:
            if drr > breakeven + threshold(RuleCode.DRR_ABOVE_BREAKEVEN) * 100:
                add(RuleCode.DRR_ABOVE_BREAKEVEN, f"{code}:{facts.month}", f"ДРР выше безубыточного: {label}",
                    f"ДРР {_pp(drr)} %, безубыточный {_pp(breakeven)} %", "/app/reports")
    return out
