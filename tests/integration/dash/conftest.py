"""The dashboard's tests reuse the billing suite's YooKassa sandbox fixtures."""

from tests.integration.billing.conftest import bmailbox, bsettings, yk  # noqa: F401
