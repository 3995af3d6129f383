"""The admin's «Мониторинг»: sync lag per shop, failed sync runs, the worker's heartbeat, the database's size, the
antivirus that scans uploads."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.kernel.uploads import antivirus_status
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
        deps = deps_of(request)
        info = await monitoring(deps, admin, stale)
        av_ok, av_text = await antivirus_status(deps.scanner)
        mode = "встроенный" if request.app.state.container.settings.embedded else "рабочий"
        return render(request, "ozon/admin/monitoring.html", admin=admin, info=info, av_ok=av_ok, av_text=av_text,
                      mode=mode)
