"""The admin's «Мониторинг»: sync lag per shop, failed sync runs, the worker's heartbeat, the database's size."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.ozon.monitoring import monitoring
from stpulse.domain.accounts.users import User
from stpulse.entrypoints.web.auth import deps_of, provide_admin
from stpulse.entrypoints.web.render import render


class MonitoringController(Controller):
    path = "/admin/monitoring"
    dependencies = {"admin": Provide(provide_admin)}

    @get("/")
    async def index(self, request: Request, admin: User) -> Template:
        stale = dt.timedelta(seconds=request.app.state.container.settings.worker_heartbeat_stale_seconds)
        info = await monitoring(deps_of(request), admin, stale)
        return render(request, "ozon/admin/monitoring.html", admin=admin, info=info)
