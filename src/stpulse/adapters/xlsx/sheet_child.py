"""The child of `sheet_process`: read one workbook from stdin under a memory and CPU limit, rows to stdout.

Imports only the standard library, msgspec and python-calamine, so the subprocess starts fast.
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import sys
from typing import Any

import msgspec

CPU_SECONDS = 30


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, dt.time):
        return ["h", value.isoformat()]
    if isinstance(value, dt.timedelta):
        return ["s", value.total_seconds()]
    return value


def main(memory_bytes: int) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    from python_calamine import CalamineWorkbook

    data = sys.stdin.buffer.read()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    rows = [[_encode(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
    sys.stdout.buffer.write(msgspec.msgpack.encode(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
