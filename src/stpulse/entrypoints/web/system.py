"""/health: database, Redis (production), the worker's heartbeat and the age of the newest backup."""

from __future__ import annotations

from litestar import Request, Response, get

from stpulse.application.kernel.health import database_ok, worker_heartbeat_age
from stpulse.entrypoints.backups import last_backup_age
from stpulse.entrypoints.web.auth import deps_of


async def _redis_ok(url: str) -> bool:
    import redis.asyncio as aioredis

    client = aioredis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(await client.ping())
    finally:
        await client.aclose()


@get("/health", exclude_from_csrf=True)
async def health(request: Request) -> Response:
    container = request.app.state.container
    checks: dict[str, str] = {}
    try:
        await database_ok(deps_of(request))
        checks["database"] = "ok"
    except Exception as exc:  # health must report, not raise
        checks["database"] = f"error: {type(exc).__name__}"
    if container.settings.redis_url:
        try:
            checks["redis"] = "ok" if await _redis_ok(container.settings.redis_url) else "error"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    age = await worker_heartbeat_age(deps_of(request)) if checks["database"] == "ok" else None
    stale = container.settings.worker_heartbeat_stale_seconds
    checks["worker"] = "ok" if age is not None and age.total_seconds() <= stale else "stale" if age else "missing"
    healthy = all(v == "ok" for v in checks.values())
    backup_age = last_backup_age(container.settings)
    body = {"status": "ok" if healthy else "degraded", "checks": checks,
            "worker_heartbeat_age_s": round(age.total_seconds(), 1) if age else None,
            "last_backup_age_s": round(backup_age) if backup_age is not None else None}
    return Response(content=body, status_code=200 if healthy else 503)
