"""What a person reads on a page: Russian words, numbers grouped by thousands (DESIGN.md, issue 18.11)."""

from __future__ import annotations

import re

from playwright.sync_api import Page

ALLOWED_LATIN = {"Ozon", "API", "Client-Id", "SKU", "xlsx", "Excel", "PDF", "STPulse", "Kassa", "FBO", "FBS",
                 "csv", "docx", "jpeg", "jpg", "pdf", "png", "txt", "ART",
                 "EBITDA", "ROI", "rFBS", "Api-Key", "ClamAV",
                 "Performance", "Client", "ID", "Secret"}  # Ozon Performance API: the names its cabinet shows
# identifiers are read as written: e-mails, ИНН/ОГРН, Client-Id, SKU and posting numbers, codes in <code>
_IDS = re.compile(r"\S+@\S+|(ИНН|ОГРНИП|ОГРН|КПП|БИК|Client-Id|SKU|№)\s*[\d-]+|https?://\S+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z-]*")
_UNGROUPED = re.compile(r"(?<![\w.,-])\d{5,}(?![\w])")


def visible_text(page: Page) -> str:
    """The page's text without identifier cells (`[data-id]`, `code`), hidden elements and scripts."""
    return page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('[data-id], code, script, style, template, .d-none').forEach(e => e.remove());
        document.body.appendChild(body); body.style.display = 'block';
        const text = body.innerText; body.remove(); return text; }""")


def problems(page: Page) -> list[str]:
    text = _IDS.sub(" ", visible_text(page))
    found = [f"латиница «{w}»" for w in _LATIN.findall(text) if w.strip("-") not in ALLOWED_LATIN]
    found += [f"число без разрядов «{n}»" for n in _UNGROUPED.findall(text)]
    return sorted(set(found))
