"""Form bodies into commands. Conversion errors become Russian field errors, never a 500."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request
from litestar.params import Parameter
from litestar.response import Redirect, Template

from stpulse.application.accounts.actor import Actor
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of
from stpulse.entrypoints.web.render import redirect

T = TypeVar("T", bound=msgspec.Struct)
MAX_PAGE = 100_000
# «?page=» of a paged list: 1..MAX_PAGE, anything else (1e20, -5, 10**20) is a 400, never an OFFSET out of range
PageNumber = Annotated[int, Parameter(ge=1, le=MAX_PAGE)]
_TRUE = {"on", "1", "true", "yes", "да"}
MAX_WHOLE_NUMBER = 10_000_000_000  # whole roubles, days, shops, percents: anything above is a typo


async def form_dict(request: Request) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        if key == "_csrf_token":
            continue
        values = form.getall(key)
        data[key] = values if len(values) > 1 or key.endswith("_ids") else values[0]
    return data


async def parse_form(request: Request, cls: type[T]) -> tuple[T, dict[str, Any]]:
    """Return the command and the raw values (to re-render the form on error)."""
    raw = await form_dict(request)
    data: dict[str, Any] = {}
    for name, ftype in zip(cls.__struct_fields__, msgspec.structs.fields(cls), strict=True):
        value = raw.get(name)
        if ftype.type is bool:
            data[name] = str(value or "").lower() in _TRUE
        elif value is not None and not isinstance(value, list | str):
            continue  # an uploaded file where text is expected: ignore it
        elif value is not None:
            data[name] = value
    check_whole_numbers(cls, data)
    try:
        return msgspec.convert(data, type=cls, strict=False), raw
    except msgspec.ValidationError as exc:
        raise ValidationError({"form": f"Проверьте поля формы ({exc})"}) from None


def check_whole_numbers(cls: type[msgspec.Struct], data: dict[str, Any]) -> None:
    """Whole-number fields: a Russian field error instead of msgspec's English or an overflow further on."""
    errors: dict[str, str] = {}
    for field in msgspec.structs.fields(cls):
        value = data.get(field.name)
        if field.type is not int or not isinstance(value, str):
            continue
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if not text and field.required is False:
            data.pop(field.name)
        elif not text.lstrip("-").isdigit():
            errors[field.name] = "Введите целое число"
        elif abs(int(text)) > MAX_WHOLE_NUMBER:
            errors[field.name] = "Слишком большое число"
        else:
            data[field.name] = text
    if errors:
        raise ValidationError(errors)


def parse_uuid_list(values: Any) -> list[uuid.UUID] | None:
    items = values if isinstance(values, list) else ([values] if values else [])
    try:
        parsed = [uuid.UUID(str(v)) for v in items if v]
    except ValueError:
        raise ValidationError({"shop_ids": "Выберите магазины из списка"}) from None
    return parsed or None


async def save_form(request: Request, actor: Actor, form_type: type[T],
                    save: Callable[[Any, Actor, T], Awaitable[object]], page: Callable[..., Awaitable[Template]],
                    done: str) -> Template | Redirect:
    """A cabinet form: saved and on to `done`, or the page again with the errors next to the fields (422)."""
    form, raw = await parse_form(request, form_type)
    try:
        await save(deps_of(request), actor, form)
    except ValidationError as exc:
        return await page(errors=exc.fields, form=raw, status=422)
    return redirect(request, done)
