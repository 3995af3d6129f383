"""Every uploaded file passes the antivirus before anything reads or stores it."""

from __future__ import annotations

import logging

from stpulse.application.kernel.ports import VirusScanner
from stpulse.domain.kernel.errors import ValidationError

log = logging.getLogger(__name__)


class UploadRefused(ValidationError):
    """The file itself is refused (infected, not the expected type, too big) before any of it is read."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": message}, message)


async def refuse_infected(scanner: VirusScanner | None, data: bytes, filename: str, who: object) -> None:
    """Raise UploadRefused for an infected file (logged with its signature) or when the antivirus is down.
    `scanner` None: the embedded mode without ClamAV (the admin page says so)."""
    if scanner is None:
        return
    try:
        found = await scanner.scan(data)
    except OSError as exc:
        log.error("upload refused: antivirus unavailable (%s): %s", filename, exc)
        raise UploadRefused("Проверка файла антивирусом сейчас недоступна — попробуйте позже") from exc
    if found:
        log.warning("upload refused: %s infected with %s, uploaded by %s", filename, found, who)
        raise UploadRefused(f"В файле найден вирус ({found}) — файл не принят")


async def antivirus_status(scanner: VirusScanner | None) -> tuple[bool, str]:
    """(working, what the admin's «Мониторинг» page says about the antivirus)."""
    if scanner is None:
        return False, "Не подключён: загружаемые файлы не проверяются (встроенный режим без ClamAV)"
    try:
        return True, f"Работает: {await scanner.version()}"
    except OSError as exc:
        return False, f"Недоступен: загрузки отклоняются, пока он не ответит ({exc})"
