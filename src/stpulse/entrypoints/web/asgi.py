"""ASGI entry for uvicorn: `stpulse.entrypoints.web.asgi:app`."""

from stpulse.entrypoints.web.app import create_app

app = create_app()
