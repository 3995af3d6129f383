"""The team activity log's vocabulary: every audited action of an account, its kind (for the filter) and label.

An action is stored as its code (`audit_log.action`); the page shows the label and filters by kind. A new audited
action is one line here (an unknown code is shown as it is, kind «Прочее»)."""

from __future__ import annotations

from enum import StrEnum


class ActivityKind(StrEnum):
    COSTS = "costs"
    EXPENSES = "expenses"
    SHOPS = "shops"
    KEYS = "keys"
    TEAM = "team"
    MAPPINGS = "mappings"
    PAYMENTS = "payments"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ActivityKind.COSTS: "Себестоимость",
    ActivityKind.EXPENSES: "Расходы",
    ActivityKind.SHOPS: "Магазины",
    ActivityKind.KEYS: "Ключи доступа",
    ActivityKind.TEAM: "Команда",
    ActivityKind.MAPPINGS: "Привязки и сопоставления",
    ActivityKind.PAYMENTS: "Оплата",
    ActivityKind.OTHER: "Прочее",
}

# action code → (kind, what the log says)
ACTIONS: dict[str, tuple[ActivityKind, str]] = {
    "cost.save": (ActivityKind.COSTS, "Себестоимость сохранена"),
    "cost.delete": (ActivityKind.COSTS, "Себестоимость удалена"),
    "cost.import": (ActivityKind.COSTS, "Себестоимость загружена из файла"),
    "expense.add": (ActivityKind.EXPENSES, "Расход добавлен"),
    "expense.delete": (ActivityKind.EXPENSES, "Расход удалён"),
    "expense.import": (ActivityKind.EXPENSES, "Расходы загружены из файла"),
    "shop.connect": (ActivityKind.SHOPS, "Магазин подключён"),
    "shop.disconnect_keep": (ActivityKind.SHOPS, "Магазин отключён, данные сохранены"),
    "shop.delete": (ActivityKind.SHOPS, "Магазин удалён вместе с данными"),
    "shop.rotate_key": (ActivityKind.KEYS, "Ключ Ozon API заменён"),
    "api_token.create": (ActivityKind.KEYS, "Выпущен API-токен"),
    "api_token.revoke": (ActivityKind.KEYS, "API-токен отозван"),
    "team.invite": (ActivityKind.TEAM, "Приглашение в команду"),
    "team.invite_revoke": (ActivityKind.TEAM, "Приглашение отозвано"),
    "team.join": (ActivityKind.TEAM, "Участник принял приглашение"),
    "team.change": (ActivityKind.TEAM, "Роль или доступ участника изменены"),
    "team.remove": (ActivityKind.TEAM, "Участник удалён из команды"),
    "shop.legal_entity": (ActivityKind.MAPPINGS, "Магазин привязан к юрлицу"),
    "ledger.map": (ActivityKind.MAPPINGS, "Тип начисления Ozon сопоставлен статье"),
    "payment.succeeded": (ActivityKind.PAYMENTS, "Оплата прошла"),
    "payment.failed": (ActivityKind.PAYMENTS, "Оплата не прошла"),
    "payment.refund": (ActivityKind.PAYMENTS, "Возврат оплаты"),
    "payment.refund_promo": (ActivityKind.PAYMENTS, "Возврат оплаты: промокод исчерпан"),
    "invoice.issued": (ActivityKind.PAYMENTS, "Выставлен счёт"),
    "invoice.mark_paid": (ActivityKind.PAYMENTS, "Счёт отмечен оплаченным"),
}


def kind_of(action: str) -> ActivityKind:
    return ACTIONS.get(action, (ActivityKind.OTHER, action))[0]


def label_of(action: str) -> str:
    return ACTIONS.get(action, (ActivityKind.OTHER, action))[1]


def actions_of(kind: ActivityKind) -> tuple[str, ...]:
    return tuple(code for code, (k, _) in ACTIONS.items() if k is kind)
