"""Static reference data shared by every generated seller: accrual types, clusters, reasons, words."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

# Accrual type ids the generator uses (all from the real dictionary, see data/accrual-types.json).
T_ACQUIRING = 1
T_BACKWARD_SHIPMENT = 2
T_CLIENT_RETURN = 9
T_COMPENSATION = 10
T_DEFECT_RATE = 14
T_DROP_OFF_AGENT = 17
T_ITEM_COMPENSATION = 25
T_LAST_MILE_COURIER = 29
T_LOGISTIC = 32
T_PAY_PER_CLICK = 41
T_PLACEMENTS = 46
T_PREMIUM_SUBSCRIPTION = 52
T_PROMOTION = 54
T_CORRECTION = 57
T_RETURN_FLOW_LOGISTIC = 59
T_STARS_MEMBERSHIP = 74
T_STENCIL = 75
T_STOCK_INSURANCE = 76
T_ITEM_PACKING = 84
T_SHIPMENT_DELAY_FINE = 94


@cache
def real_accrual_types() -> tuple[dict, ...]:
    """The real answer of /v1/finance/accrual/types (132 types), shipped with the package."""
    text = resources.files(__package__).joinpath("data/accrual-types.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["accrual_types"])


# (cluster id, name, macrolocal id, [(warehouse id, warehouse name), ...]) — Ozon's list, the same for all.
CLUSTERS: tuple[tuple[int, str, int, tuple[tuple[int, str], ...]], ...] = (
    (4039, "Москва, МО и Дальние регионы", 154, ((1020000089903000, "ХОРУГВИНО_РФЦ"), (1020001430511000, "ПУШКИНО_1_РФЦ"), (1020000115166000, "НОГИНСК_РФЦ"))),
    (2, "Санкт-Петербург и СЗО", 155, ((1020000155651000, "СПБ_ШУШАРЫ_РФЦ"), (1020002115578000, "СПБ_БУГРЫ_РФЦ"))),
    (3, "Казань", 156, ((1020000166813000, "КАЗАНЬ_РФЦ_НОВЫЙ"),)),
    (4, "Екатеринбург", 157, ((1020000141939000, "ЕКАТЕРИНБУРГ_РФЦ_НОВЫЙ"),)),
    (5, "Новосибирск", 158, ((1020000180163000, "НОВОСИБИРСК_РФЦ_НОВЫЙ"),)),
    (6, "Ростов", 159, ((17717042026000, "РОСТОВ-НА-ДОНУ_РФЦ"),)),
    (7, "Краснодар", 160, ((1020001051563000, "АДЫГЕЙСК_РФЦ"), (1020000245632000, "КРАСНОДАР_2_РФЦ"))),
    (8, "Самара", 161, ((1020000204542000, "САМАРА_РФЦ"),)),
    (9, "Воронеж", 162, ((1020000890455000, "ВОРОНЕЖ_2_РФЦ"),)),
    (10, "Уфа", 163, ((1020001212876000, "УФА_РФЦ"),)),
    (11, "Красноярск", 164, ((1020001460513000, "КРАСНОЯРСК_МРФЦ"),)),
    (12, "Тверь", 165, ((1020001023415000, "ТВЕРЬ_РФЦ"),)),
    (13, "Невинномысск", 166, ((1020002144539000, "НЕВИННОМЫССК_РФЦ"),)),
    (14, "Омск", 167, ((1020002301411000, "ОМСК_РФЦ"),)),
    (15, "Пермь", 168, ((1020002187765000, "ПЕРМЬ_РФЦ"),)),
    (16, "Саратов", 169, ((1020002322998000, "САРАТОВ_РФЦ"),)),
    (17, "Тюмень", 170, ((1020002257133000, "ТЮМЕНЬ_РФЦ"),)),
    (18, "Дальний Восток", 171, ((1020002088156000, "ХАБАРОВСК_2_РФЦ"),)),
)
CIS_CLUSTERS: tuple[tuple[int, str, int, tuple[tuple[int, str], ...]], ...] = (
    (101, "Беларусь", 201, ((1020002400001000, "МИНСК_МПСЦ"),)),
    (102, "Казахстан", 202, ((1020002400002000, "АЛМАТЫ_МРФЦ"),)),
)


@cache
def fbo_warehouses() -> tuple[tuple[int, str, int, str], ...]:
    """Flat list of (warehouse id, warehouse name, cluster id, cluster name) in a fixed order."""
    return tuple((wid, wname, cid, cname) for cid, cname, _, whs in CLUSTERS for wid, wname in whs)


CATEGORIES: tuple[tuple[int, str, int], ...] = (  # (description_category_id, name, sale commission bp)
    (17028922, "Дом и сад", 2000),
    (17027949, "Одежда", 3500),
    (17028650, "Детские товары", 2800),
    (17027484, "Электроника", 1500),
    (15621048, "Красота и здоровье", 4500),
    (17028741, "Спорт и отдых", 2400),
    (17027904, "Строительство и ремонт", 1800),
    (17028630, "Хобби и творчество", 4800),
)

NOUNS = ("Бордюр садовый", "Футболка", "Кукла", "Наушники", "Крем для рук", "Коврик для йоги", "Шуруповёрт",
         "Набор для вышивания", "Кашпо", "Худи", "Конструктор", "Зарядное устройство", "Сыворотка", "Гантели",
         "Уровень строительный", "Краски акриловые")
ADJECTIVES = ("классический", "компактный", "премиум", "универсальный", "лёгкий", "усиленный", "детский",
              "профессиональный")
COLOURS = ("чёрный", "белый", "серый", "зелёный", "синий", "красный", "бежевый", "розовый")

RETURN_REASONS = (
    "Не подошёл размер",
    "Товар не соответствует описанию",
    "Товар с браком",
    "Передумал",
    "Покупатель отказался при вручении: недоволен качеством товара",
    "Повреждена упаковка",
    "Пришёл не тот товар",
)
REFUSAL_REASON = "Покупатель не забрал заказ"
CANCEL_REASONS = ((352, "Покупатель отменил заказ"), (402, "Товар закончился у продавца"), (507, "Не доставлен"))
