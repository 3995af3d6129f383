#!/usr/bin/env python3
"""Generate src/stpulse/domain/ledger/default_mapping.py from the ARTICLES.md «Type id → article» table.

The domain never reads files, so the seed mapping lives in the package as a literal dict.
Usage: python tools/gen_default_mapping.py [ARTICLES.md] > src/stpulse/domain/ledger/default_mapping.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Russian article name in ARTICLES.md (prefix) -> article code in stpulse.domain.ledger
NAME_TO_CODE = {
    "Вознаграждение Ozon": "commission",
    "Логистика": "logistics",
    "Обратная логистика": "reverse_logistics",
    "Хранение и размещение": "storage",
    "Эквайринг": "acquiring",
    "Продвижение и реклама": "promotion",
    "Подписки и сервисы Ozon": "subscriptions",
    "Упаковка, маркировка": "packaging",
    "Сервисные сборы rFBS": "rfbs_fees",
    "Штрафы": "penalties",
    "Компенсации и бонусы Ozon": "compensations",
    "Выручка за доставку от покупателя": "rfbs_delivery_revenue",
    "Финансовые услуги": "financial_services",
    "Корректировки и претензии": "adjustments",
    "Не влияет на прибыль": "non_pnl",
}


def parse(text: str) -> dict[int, str]:
    section = text.split("## Type id → article", 1)[1]
    mapping: dict[int, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not re.search(r"\d", cells[1]):
            continue
        code = next((c for name, c in NAME_TO_CODE.items() if cells[0].startswith(name)), None)
        if code is None:
            raise SystemExit(f"unknown article row: {cells[0]}")
        for type_id in (int(m) for m in re.findall(r"\b(\d+)\b", cells[1])):
            if type_id in mapping:
                raise SystemExit(f"type id {type_id} listed twice")
            mapping[type_id] = code
    return mapping


def render(mapping: dict[int, str]) -> str:
    body = "\n".join(f"    {tid}: {code!r}," for tid, code in sorted(mapping.items()))
    return (
        '"""Seed mapping Ozon accrual type_id -> P&L article code.\n\n'
        "Generated from ozon/ARTICLES.md by tools/gen_default_mapping.py; do not edit by hand.\n"
        '"""\n\nfrom __future__ import annotations\n\n'
        f"DEFAULT_TYPE_ARTICLES: dict[int, str] = {{\n{body}\n}}\n"
    )


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/ozon/ARTICLES.md")
    sys.stdout.write(render(parse(src.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
