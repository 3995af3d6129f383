"""A scripted Ozon for the adapter tests: routes by path, records every request, never sleeps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClient
from stpulse.adapters.ozon.client import OzonHttp, build_http_client
from stpulse.adapters.ozon.ratelimit import TokenBucket
from stpulse.application.ozon.ports import OzonCredentials

SAMPLES = Path("/work/shared/ozon/samples")
API_KEY = "0f4c9a1e-7b2d-4c55-9e1a-secret-key-42"
CREDENTIALS = OzonCredentials(client_id="123456", api_key=API_KEY)
BASE_URL = "https://ozon.test"

Handler = Callable[[dict[str, Any], httpx.Request], httpx.Response]


def ok(payload: Any) -> httpx.Response:
    return httpx.Response(200, json=payload)


class FakeOzon:
    """`routes[path]` answers a decoded JSON body; a list of responses/exceptions is played in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.scripts: dict[str, list[httpx.Response | Exception]] = {}
        self.requests: list[httpx.Request] = []

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(r.content or b"{}") for r in self.requests if r.url.path == path]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        script = self.scripts.get(path)
        if script:
            step = script.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        body = json.loads(request.content) if request.content else {}
        return self.routes[path](body, request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


class RecordingSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_client(
    fake: FakeOzon, *, settings: OzonHttpSettings | None = None, sleep: RecordingSleep | None = None,
    credentials: OzonCredentials = CREDENTIALS,
) -> OzonSellerClient:
    settings = settings or OzonHttpSettings(base_url=BASE_URL, max_attempts=4)
    http_client = build_http_client(settings, fake.transport())
    bucket = TokenBucket(1e9, 1_000_000)  # spacing is tested on its own
    http = OzonHttp(
        http_client, settings, credentials, sleep=sleep or RecordingSleep(), jitter=lambda: 0.5, bucket=bucket
    )
    return OzonSellerClient(http)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()
