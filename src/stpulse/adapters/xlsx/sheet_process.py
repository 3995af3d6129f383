"""Parse a workbook in a short-lived subprocess with a memory and CPU limit (resource.setrlimit).

Whatever a crafted file makes the parser do (allocate hundreds of GiB and abort, loop), it happens in the child:
the web process gets a refusal and keeps serving. The child (`sheet_child`, which imports nothing of the
application, so it starts in a fraction of a second) answers msgpack rows on stdout; dates and times travel as
tagged ISO strings, so no pickle crosses the boundary.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec

from stpulse.application.costs.cogs_import import SpreadsheetRejected
from stpulse.application.reports.ports import Cell

MEMORY_LIMIT = 768 * 1024 * 1024  # address space of the child; a 5 MB sheet needs well under 300 MiB
_SRC = str(Path(__file__).resolve().parents[3])  # the directory holding the stpulse package
_TYPES: dict[str, Any] = {"d": dt.date.fromisoformat, "t": dt.datetime.fromisoformat, "h": dt.time.fromisoformat,
                          "s": lambda v: dt.timedelta(seconds=float(v))}


def read_isolated(data: bytes, memory_bytes: int = MEMORY_LIMIT, timeout: float = 60) -> list[list[Cell]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_SRC, os.environ.get("PYTHONPATH")]))}
    try:
        argv = [sys.executable, "-m", "stpulse.adapters.xlsx.sheet_child", str(memory_bytes)]  # fixed, no shell
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout, env=env, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        raise SpreadsheetRejected("Файл Excel читается слишком долго — загрузка отклонена") from None
    if done.returncode != 0:
        raise SpreadsheetRejected("Не удалось прочитать файл Excel: он повреждён или не в формате .xlsx")
    return [[_decode(c) for c in row] for row in msgspec.msgpack.decode(done.stdout)]


def _decode(value: Any) -> Cell:
    if isinstance(value, list):
        return _TYPES[value[0]](value[1])  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]
