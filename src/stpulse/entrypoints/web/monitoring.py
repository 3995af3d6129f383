"""The admin's «Мониторинг»: the worker's heartbeat and the antivirus that scans uploads."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.kernel.health import worker_heartbeat_age
from stpulse.application.kernel.uploads import antivirus_status
from stpulse.domain.accounts.users import User
from stpulse.entrypoints.web.auth import deps_of, provide_admin
from stpulse.entrypoints.web.render import render


class MonitoringController(Controller):
    path = "/admin/monitoring"
    dependencies = {"admin": Provide(provide_admin)}

    @get("/")
    async def index(self, request: Request, admin: User) -> Template:
        deps = deps_of(request)
        settings = request.app.state.container.settings
        av_ok, av_text = await antivirus_status(deps.scanner)
        age = await worker_heartbeat_age(deps)
        worker_ok = age is not None and age.total_seconds() <= settings.worker_heartbeat_stale_seconds
        return render(request, "monitoring.html", admin=admin, av_ok=av_ok, av_text=av_text, worker_ok=worker_ok,
                      worker_age=None if age is None else int(age.total_seconds()),
                      mode="встроенный" if settings.embedded else "production")
