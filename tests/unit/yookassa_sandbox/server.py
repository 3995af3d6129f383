"""A real HTTP server (uvicorn in a thread) running the YooKassa sandbox plus a webhook receiver."""

import socket
import threading
import time
from typing import Any

import uvicorn
from litestar import Litestar, post

from stpulse.adapters.sandbox.yookassa import YooKassaState, yookassa_routers

SHOP_ID, SECRET = "100500", "test_secret"


class Server:
    def __init__(self) -> None:
        self.state = YooKassaState(shops={SHOP_ID: SECRET})
        self.received: list[dict[str, Any]] = []

        @post("/hook", status_code=200)
        async def hook(data: dict[str, Any]) -> None:
            self.received.append(data)

        app = Litestar(route_handlers=[*yookassa_routers(self.state), hook], openapi_config=None)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.base}/yookassa/v3"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("sandbox did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.sock.close()

    def wait_for_webhooks(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received
