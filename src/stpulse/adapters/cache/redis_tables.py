"""Finished report tables in Redis, shared by every web process and the workers (`SharedTableStore`).

A table is MessagePack (msgspec, typed on the way back) compressed with zlib; keys carry the data's fingerprint, so
an entry is never stale and only ages out (`ttl_seconds`). Redis being unreachable is not an error for a report:
the table is computed as if the store were empty, and the failure is logged once per call."""

from __future__ import annotations

import asyncio
import zlib

import msgspec
import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from stpulse.domain.reports.table import Table

PREFIX = "stpulse:report:"
_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(Table)
log = structlog.get_logger(__name__)


def encode_table(table: Table) -> bytes:
    return zlib.compress(_ENCODER.encode(table), 1)


def decode_table(blob: bytes) -> Table:
    return _DECODER.decode(zlib.decompress(blob))


class RedisTableStore:
    def __init__(self, url: str, ttl_seconds: int = 8 * 86_400) -> None:
        self.client = aioredis.Redis.from_url(url)
        self.ttl = ttl_seconds

    async def get(self, key: str) -> Table | None:
        try:
            blob = await self.client.get(PREFIX + key)
        except (RedisError, OSError) as exc:
            log.warning("report_store_unavailable", error=type(exc).__name__)
            return None
        return decode_table(blob) if isinstance(blob, bytes) else None

    async def put(self, key: str, table: Table) -> None:
        try:
            blob = await asyncio.to_thread(encode_table, table)  # zlib lets go of the GIL: the loop serves meanwhile
            await self.client.set(PREFIX + key, blob, ex=self.ttl)
        except (RedisError, OSError) as exc:
            log.warning("report_store_unavailable", error=type(exc).__name__)

    async def clear(self) -> None:
        """Every report table of the store (tests and operations; entries otherwise only age out)."""
        keys = [key async for key in self.client.scan_iter(match=PREFIX + "*", count=1000)]
        if keys:
            await self.client.delete(*keys)

    async def aclose(self) -> None:
        await self.client.aclose()
