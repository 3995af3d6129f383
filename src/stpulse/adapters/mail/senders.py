"""Mail: .eml files in a folder (embedded mode) or SMTP (production)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib


def _message(sender: str, to: str, subject: str, body: str, html: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Message-ID"] = f"<{uuid.uuid4()}@stpulse>"
    msg["Date"] = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


class FolderMailer:
    def __init__(self, folder: Path, sender: str) -> None:
        self.folder, self.sender = folder, sender

    async def send(self, to: str, subject: str, body: str, html: str | None = None) -> None:
        msg = _message(self.sender, to, subject, body, html)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        await asyncio.to_thread(self._write, path, msg.as_bytes())

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


class SmtpMailer:
    def __init__(self, host: str, port: int, user: str, password: str, starttls: bool, sender: str) -> None:
        self._conn: dict[str, Any] = {"hostname": host, "port": port, "username": user or None, "password": password or None,
                      "start_tls": starttls, "timeout": 15}
        self.sender = sender

    async def send(self, to: str, subject: str, body: str, html: str | None = None) -> None:
        await aiosmtplib.send(_message(self.sender, to, subject, body, html), **self._conn)

    def __repr__(self) -> str:
        return f"SmtpMailer({self._conn['hostname']}:{self._conn['port']})"
