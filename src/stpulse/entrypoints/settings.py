"""Settings from STPULSE_* environment variables (and `.env`). Defaults are the embedded mode."""

from __future__ import annotations

import base64
import hashlib
from functools import cached_property
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-insecure-secret-change-me-in-production-0000"  # noqa: S105 - embedded-mode default only


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STPULSE_", env_file=".env", extra="ignore")

    mode: str = "embedded"  # embedded | production
    data_dir: Path = Path("var")
    database_url: str = ""  # empty: SQLite file in data_dir
    redis_url: str = ""  # empty in embedded mode: in-process worker, no Redis
    secret_key: str = DEV_SECRET  # production refuses to start with it (see check_production)
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: bool = False  # True behind HTTPS in production
    debug: bool = False
    log_level: str = "INFO"
    log_json: bool = True

    mail_from: str = "STPulse <noreply@stpulse.local>"
    smtp_host: str = ""  # empty: mail goes to data_dir/mail as .eml files
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True

    upload_max_bytes: int = 10 * 1024 * 1024
    login_max_failures: int = 10
    login_window_minutes: int = 15
    session_days: int = 14

    ozon_seller_url: str = "http://127.0.0.1:8000/sandbox/ozon"
    ozon_performance_url: str = "http://127.0.0.1:8000/sandbox/performance"
    yookassa_api_url: str = "http://127.0.0.1:8000/sandbox/yookassa/v3"
    sandbox_enabled: bool = True  # mount the sandbox in-process (embedded mode)

    embedded_worker: bool = True  # run the task worker inside the web process when there is no Redis
    worker_heartbeat_seconds: int = 30
    worker_heartbeat_stale_seconds: int = 120

    def check_production(self) -> None:
        """Refuse to serve production with the embedded defaults that would be unsafe there."""
        if self.mode == "production" and self.secret_key == DEV_SECRET:
            raise SystemExit("STPULSE_SECRET_KEY must be set to a long random value in production")

    @property
    def embedded(self) -> bool:
        return self.mode == "embedded"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'stpulse.sqlite3').resolve()}"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @cached_property
    def fernet_key(self) -> bytes:
        """Encryption key for secrets at rest, derived from secret_key (stable across restarts)."""
        digest = hashlib.sha256(("stpulse-secretbox:" + self.secret_key).encode()).digest()
        return base64.urlsafe_b64encode(digest)
