"""E-mail templates (Jinja2): `<name>.txt` — the subject on its first line, a blank line, the plain text — and
`<name>.html`, the same message as HTML (autoescaped). One context renders both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from stpulse.application.kernel.ports import RenderedMail
from stpulse.domain.kernel.formatting import format_count, format_percent, format_rub
from stpulse.domain.kernel.moscow import as_moscow

FOLDER = Path(__file__).parent / "templates"


def _day(value: dt.date | dt.datetime) -> str:
    return (as_moscow(value) if isinstance(value, dt.datetime) else value).strftime("%d.%m.%Y")


class JinjaMailTemplates:
    def __init__(self, folder: Path = FOLDER) -> None:
        self.env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html"]),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update({"rub": format_rub, "num": format_count, "pct": format_percent,
                                 "day": _day})

    def render(self, name: str, context: dict[str, Any]) -> RenderedMail:
        text = self.env.get_template(f"{name}.txt").render(context)
        subject, _, body = text.partition("\n")
        html = self.env.get_template(f"{name}.html").render(context, subject=subject.strip())
        return RenderedMail(subject=subject.strip(), text=body.lstrip("\n"), html=html)
