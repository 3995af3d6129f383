"""ClamAV's clamd over its INSTREAM protocol (a Unix socket or TCP), the VirusScanner of production.

The protocol is a few lines: `zINSTREAM\\0`, chunks each prefixed by its big-endian 4-byte length, a zero-length
chunk, then one reply «stream: OK» or «stream: <signature> FOUND» (NUL-terminated)."""

from __future__ import annotations

import asyncio
import struct

_CHUNK = 64 * 1024


class ClamdScanner:
    def __init__(self, address: str, timeout: float = 30.0) -> None:
        """`address`: «unix:/run/clamav/clamd.ctl», a bare socket path, or «tcp://host:3310»."""
        self.address = address
        self.timeout = timeout

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.address.startswith("tcp://"):
            host, _, port = self.address.removeprefix("tcp://").rpartition(":")
            return await asyncio.open_connection(host, int(port))
        return await asyncio.open_unix_connection(self.address.removeprefix("unix:"))

    async def _exchange(self, data: bytes) -> bytes:
        reader, writer = await self._connect()
        try:
            writer.write(b"zINSTREAM\0")
            for start in range(0, len(data), _CHUNK):
                chunk = data[start:start + _CHUNK]
                writer.write(struct.pack(">I", len(chunk)) + chunk)
                await writer.drain()
            writer.write(struct.pack(">I", 0))
            await writer.drain()
            return await reader.readuntil(b"\0")
        finally:
            writer.close()

    async def scan(self, data: bytes) -> str | None:
        try:
            reply = await asyncio.wait_for(self._exchange(data), self.timeout)
        except (TimeoutError, asyncio.IncompleteReadError) as exc:
            raise OSError(f"clamd did not answer: {exc!r}") from exc
        text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        if text.endswith("FOUND"):
            return text.removeprefix("stream:").removesuffix("FOUND").strip()
        if text.endswith("OK"):
            return None
        raise OSError(f"clamd: {text}")

    async def version(self) -> str:
        """clamd's VERSION reply, for the admin page; raises OSError when it cannot be reached."""
        reader, writer = await self._connect()
        try:
            writer.write(b"zVERSION\0")
            await writer.drain()
            return (await asyncio.wait_for(reader.readuntil(b"\0"), self.timeout)).rstrip(b"\0").decode()
        finally:
            writer.close()
