"""One way to answer: the full page, or only its fragment when HTMX asks."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from stpulse.domain.kernel.errors import ValidationError


def render(request: Request, template: str, *, partial: str | None = None, status: int = 200,
           cookies: list[Cookie] | None = None, **context: Any) -> Template:
    htmx = request.headers.get("hx-request") == "true" and not request.headers.get("hx-boosted")
    name = partial if (partial and htmx) else template
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return Template(template_name=name, context=context, status_code=status, cookies=cookies or [])


def form_error(request: Request, template: str, exc: ValidationError, raw: dict[str, Any],
               partial: str | None = None, **context: Any) -> Template:
    return render(request, template, partial=partial, status=422, errors=exc.fields, form=raw, **context)


def redirect(request: Request, path: str) -> Redirect:
    """A 303 after a POST; HTMX follows HX-Redirect instead of swapping the target page in."""
    headers = {"HX-Redirect": path} if request.headers.get("hx-request") == "true" else {}
    return Redirect(path=path, status_code=303, headers=headers)
