"""Retries, error mapping and secrecy of the Ozon HTTP transport (httpx.MockTransport, no sockets)."""

from __future__ import annotations

import logging

import httpx
import pytest

from stpulse.adapters.ozon import OzonHttpSettings
from stpulse.application.ozon.ports import (
    OzonAccessDenied,
    OzonBadRequest,
    OzonKeyInvalid,
    OzonUnavailable,
    OzonUnexpectedAnswer,
)
from tests.unit.ozon_adapter._ozon_fakes import (
    API_KEY,
    CREDENTIALS,
    FakeOzon,
    RecordingSleep,
    make_client,
    ok,
)

TYPES = "/v1/finance/accrual/types"
ANSWER = {"accrual_types": [{"id": 1, "name": "Acquiring", "description": "Эквайринг"}]}


def scripted(*steps):
    fake = FakeOzon()
    fake.scripts[TYPES] = list(steps)
    return fake


@pytest.mark.parametrize("failure", [
    httpx.Response(429), httpx.Response(500), httpx.Response(502), httpx.Response(503),
    httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), httpx.RemoteProtocolError("reset"),
], ids=["429", "500", "502", "503", "timeout", "connect", "protocol"])
async def test_transient_failures_are_retried_until_success(failure):
    fake, sleep = scripted(failure, failure, ok(ANSWER)), RecordingSleep()
    client = make_client(fake, sleep=sleep)
    types = await client.accrual_types()
    assert [t.id for t in types] == [1]
    assert len(fake.requests) == 3 and client.requests_sent == 3
    # exponential backoff, equal jitter (jitter fixed at 0.5): base 0.5 → 0.375, then 0.75
    assert sleep.calls == [0.375, 0.75]


async def test_retry_after_is_honoured():
    fake, sleep = scripted(httpx.Response(429, headers={"Retry-After": "7"}), ok(ANSWER)), RecordingSleep()
    await make_client(fake, sleep=sleep).accrual_types()
    assert sleep.calls == [7.0]


async def test_retry_after_is_capped():
    settings = OzonHttpSettings(base_url="https://ozon.test", retry_after_max=20)
    fake, sleep = scripted(httpx.Response(503, headers={"Retry-After": "3600"}), ok(ANSWER)), RecordingSleep()
    await make_client(fake, settings=settings, sleep=sleep).accrual_types()
    assert sleep.calls == [20]


async def test_backoff_is_capped_and_attempts_are_limited():
    settings = OzonHttpSettings(base_url="https://ozon.test", max_attempts=6, backoff_base=1, backoff_max=4)
    fake, sleep = scripted(*[httpx.Response(500)] * 6), RecordingSleep()
    with pytest.raises(OzonUnavailable) as info:
        await make_client(fake, settings=settings, sleep=sleep).accrual_types()
    assert len(fake.requests) == 6
    assert sleep.calls == [0.75, 1.5, 3.0, 3.0, 3.0]
    assert info.value.http_status == 500 and "Ozon" in info.value.message


async def test_timeouts_exhausted_raise_unavailable_without_chaining_the_request():
    fake = scripted(*[httpx.ReadTimeout("slow")] * 4)
    with pytest.raises(OzonUnavailable) as info:
        await make_client(fake).accrual_types()
    assert len(fake.requests) == 4
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize(("status", "body", "error"), [
    (401, {"code": 16, "message": "Unauthenticated"}, OzonKeyInvalid),
    (403, {"code": 7, "message": "Api-key is deactivated, use another one"}, OzonKeyInvalid),
    (403, {"code": 7, "message": "You have no access to this method"}, OzonAccessDenied),
    (404, {"code": 16, "message": "Client-Id and Api-Key headers are required"}, OzonKeyInvalid),
    (400, {"code": 3, "message": "PERIOD_IS_TOO_LONG"}, OzonBadRequest),
    (404, b"<html>not json</html>", OzonBadRequest),
])
async def test_error_answers_map_to_application_errors(status, body, error, caplog):
    response = httpx.Response(status, json=body) if isinstance(body, dict) else httpx.Response(status, content=body)
    fake = scripted(response)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(error) as info:
        await make_client(fake).accrual_types()
    assert len(fake.requests) == 1  # never retried
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value.args)
    assert API_KEY not in caplog.text
    assert info.value.path == TYPES and info.value.http_status == status


async def test_key_invalid_message_tells_what_to_do():
    with pytest.raises(OzonKeyInvalid) as info:
        await make_client(scripted(httpx.Response(401))).accrual_types()
    assert info.value.message.startswith("Ключ API недействителен")
    assert "Seller API" in info.value.message


async def test_bad_request_quotes_ozon_but_never_the_key():
    body = {"code": 3, "message": f"bad header value {API_KEY}"}
    with pytest.raises(OzonBadRequest) as info:
        await make_client(scripted(httpx.Response(400, json=body))).accrual_types()
    assert API_KEY not in info.value.message and "bad header value ***" in info.value.message


async def test_unreadable_success_answer_is_an_unexpected_answer():
    fake = scripted(httpx.Response(200, content=b'{"accrual_types": "nope"}'))
    with pytest.raises(OzonUnexpectedAnswer):
        await make_client(fake).accrual_types()


async def test_retries_log_path_and_attempt_but_not_the_key(caplog):
    caplog.set_level(logging.DEBUG)
    await make_client(scripted(httpx.Response(429), ok(ANSWER))).accrual_types()
    assert "attempt=1/4" in caplog.text and TYPES in caplog.text
    assert API_KEY not in caplog.text


async def test_headers_carry_the_credentials_and_the_base_url_is_a_setting():
    fake = FakeOzon()
    fake.routes["/sandbox/ozon" + TYPES] = lambda body, _: ok(ANSWER)
    settings = OzonHttpSettings(base_url="https://sandbox.test/sandbox/ozon")
    await make_client(fake, settings=settings).accrual_types()
    (request,) = fake.requests
    assert str(request.url) == "https://sandbox.test/sandbox/ozon/v1/finance/accrual/types"
    assert request.headers["Client-Id"] == "123456" and request.headers["Api-Key"] == API_KEY
    assert request.method == "POST" and request.headers["Content-Type"] == "application/json"


async def test_report_file_download_never_sends_the_key():
    fake = FakeOzon()
    fake.routes["/reports/comp.xlsx"] = lambda body, _: httpx.Response(200, content=b"PK\x03\x04")
    content = await make_client(fake).report_file("https://cdn.ozon.test/reports/comp.xlsx")
    assert content == b"PK\x03\x04"
    assert "Api-Key" not in fake.requests[0].headers and "Client-Id" not in fake.requests[0].headers


def test_credentials_and_clients_never_show_the_key():
    assert API_KEY not in repr(CREDENTIALS) and API_KEY not in str(CREDENTIALS) and API_KEY not in f"{CREDENTIALS}"
    assert "***42" in repr(CREDENTIALS) and "123456" in repr(CREDENTIALS)
    assert API_KEY not in repr(make_client(FakeOzon()))
