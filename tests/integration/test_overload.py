"""Issue 19, load: a request that waited the whole pool timeout for a database connection is an overload — 503
with a Russian message and Retry-After, logged as a warning — not a 500."""

from __future__ import annotations

from pathlib import Path

import httpx
from litestar import get
from sqlalchemy.exc import TimeoutError as PoolTimeout

from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app


@get("/test-busy")
async def busy() -> str:
    raise PoolTimeout("QueuePool limit of size 40 overflow 0 reached, connection timed out, timeout 60.00")


async def test_an_exhausted_pool_answers_503_with_retry_after(tmp_path: Path):
    app = create_app(Settings(data_dir=tmp_path), extra_route_handlers=[busy])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        resp = await client.get("/test-busy")
    await app.state.container.close()
    assert resp.status_code == 503 and resp.headers["retry-after"] == "30"
    assert "Сейчас слишком много запросов" in resp.text
