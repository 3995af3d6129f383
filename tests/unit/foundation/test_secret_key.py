"""Issue 19, item 5: production refuses short, low-entropy and placeholder secret keys, not only the dev value."""

import secrets
from pathlib import Path

import pytest

from stpulse.entrypoints.settings import DEV_SECRET, Settings

EXAMPLE = Path(__file__).resolve().parents[3] / "docker" / "env.example"


def example_key() -> str:
    line = next(x for x in EXAMPLE.read_text().splitlines() if x.startswith("STPULSE_SECRET_KEY="))
    return line.split("=", 1)[1].strip()


@pytest.mark.parametrize("key", [
    DEV_SECRET, "x", "short-but-random-Q7f", "a" * 64, "abcd" * 16, "change-me-to-64-random-characters",
    "CHANGE_ME_please_to_a_long_random_value_0123456789", "0123456789" * 4, "Password123" * 3,
])
def test_weak_keys_do_not_start_production(key):
    with pytest.raises(SystemExit, match="STPULSE_SECRET_KEY"):
        Settings(mode="production", secret_key=key).check_production()


def test_the_placeholder_of_env_example_does_not_start_production():
    with pytest.raises(SystemExit, match="STPULSE_SECRET_KEY"):
        Settings(mode="production", secret_key=example_key()).check_production()


@pytest.mark.parametrize("key", [secrets.token_urlsafe(32), secrets.token_hex(32), secrets.token_urlsafe(64)])
def test_random_keys_start_production(key):
    Settings(mode="production", secret_key=key).check_production()


def test_embedded_mode_keeps_its_development_key():
    Settings(mode="embedded").check_production()
