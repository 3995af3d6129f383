"""The uploaded xlsx of an import form: read within the configured size, and the per-row answer of the import."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template

from stpulse.application.kernel.uploads import UploadRefused
from stpulse.entrypoints.web.auth import deps_of
from stpulse.entrypoints.web.render import redirect

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowIssue(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def message(self) -> str: ...


async def read_upload(request: Request) -> bytes:
    """The form's «file», at most `upload_max_bytes`: a missing or too large file is an `UploadRefused`."""
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise UploadRefused("Выберите файл .xlsx")
    limit = deps_of(request).config.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(f"Файл больше допустимого размера {limit / (1024 * 1024):.0f} МБ")
    return data


def row_errors(issues: Sequence[RowIssue]) -> list[str]:
    return [f"Строка {i.row}: {i.message}" for i in issues]


async def import_upload(request: Request, run: Callable[[bytes], Awaitable[Sequence[RowIssue]]],
                        page: Callable[..., Awaitable[Template]], done: str) -> Template | Redirect:
    """Run an all-or-nothing import of the uploaded file: the page again with the errors (422), else to `done`."""
    problems: list[str]
    try:
        problems = row_errors(await run(await read_upload(request)))
    except UploadRefused as exc:
        problems = [exc.message]
    if problems:
        return await page(import_errors=problems, status=422)
    return redirect(request, done)
