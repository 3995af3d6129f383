"""Settings from STPULSE_* environment variables (and `.env`). Defaults are the embedded mode."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import math
from collections import Counter
from functools import cached_property
from pathlib import Path

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from stpulse.domain.accounts.legal_docs import Operator

DEV_SECRET = "dev-insecure-secret-change-me-in-production-0000"  # noqa: S105 - embedded-mode default only
SECRET_MIN_BYTES = 32
SECRET_MIN_BITS = 128  # estimated from the key's own character frequencies
_PLACEHOLDER_WORDS = ("change-me", "change_me", "changeme", "example", "insecure", "placeholder", "secret-key")


def secret_key_problem(key: str) -> str | None:
    """Why a key must not run production (None: it may). A placeholder, a short key, a repeated pattern and a
    key drawn from a few characters are refused; `python -c "import secrets; print(secrets.token_urlsafe(48))"`
    makes a good one."""
    lowered = key.lower()
    if key == DEV_SECRET or any(word in lowered for word in _PLACEHOLDER_WORDS):
        return "это значение-заглушка из примера настроек"
    if len(key.encode()) < SECRET_MIN_BYTES:
        return f"ключ короче {SECRET_MIN_BYTES} байт"
    if (key + key).find(key, 1) < len(key):
        return "ключ — повторение короткого фрагмента"
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < SECRET_MIN_BITS or len(counts) < 10:
        return "в ключе слишком мало случайности"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STPULSE_", env_file=".env", extra="ignore")

    mode: str = "embedded"  # embedded | production
    frozen_now: dt.datetime | None = None  # benches and demos only: every process's «now» (production refuses it)
    data_dir: Path = Path("var")
    database_url: str = ""  # empty: SQLite file in data_dir
    redis_url: str = ""  # empty in embedded mode: in-process worker, no Redis
    # PostgreSQL connections the whole app may hold (max_connections 100 minus room for psql, backups, migrations),
    # split over the processes: `stpulse serve --workers N` sets web_processes, and one worker process is counted
    db_connections: int = 80
    web_processes: int = 1
    secret_key: str = DEV_SECRET  # production refuses to start with it (see check_production)
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: bool | None = None  # None: Secure in production (which refuses false), plain in embedded mode
    metrics_token: str = ""  # production: /metrics answers loopback, or «Authorization: Bearer <this token>»
    form_max_bytes: int = 1024 * 1024  # request body limit of every route but the file uploads
    debug: bool = False
    log_level: str = "INFO"
    log_json: bool | None = None  # None: JSON lines in production, readable console lines in embedded mode

    mail_from: str = "STPulse <noreply@stpulse.local>"
    smtp_host: str = ""  # empty: mail goes to data_dir/mail as .eml files
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True

    upload_max_bytes: int = 10 * 1024 * 1024
    documents_quota_bytes: int = 1024 * 1024 * 1024
    # ClamAV's clamd that scans every upload: «unix:/run/clamav/clamd.ctl» or «tcp://clamav:3310»; empty: no scan
    clamd_address: str = ""
    login_max_failures: int = 10
    login_window_minutes: int = 15
    login_ip_max_failures: int = 100  # failed logins from one client address (any e-mail) per window
    reset_max_per_address: int = 3  # password reset mails to one address per reset window
    reset_max_per_ip: int = 20  # password reset requests from one client address per reset window
    reset_window_minutes: int = 60
    # proxies whose X-Forwarded-For is believed (comma-separated addresses or networks); empty: none
    trusted_proxies: str = ""
    session_days: int = 14

    ozon_seller_url: str = ""  # empty: the built-in sandbox of this server (base_url + /sandbox/...)
    ozon_performance_url: str = ""  # empty: the built-in sandbox of this server (base_url + /sandbox/...)
    yookassa_api_url: str = ""  # empty: the built-in sandbox of this server (base_url + /sandbox/...)
    yookassa_shop_id: str = "100500"  # the sandbox shop; set the real one in production
    yookassa_secret_key: str = "test_secret"  # noqa: S105 - the sandbox's key, embedded-mode default only
    # who may send payment webhooks: YooKassa's published ranges; embedded mode adds localhost (its sandbox)
    yookassa_webhook_ips: str = ("185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,77.75.156.35/32,"
                                 "77.75.154.128/25,2a02:5180::/32")
    billing_vat_rate: int | None = None  # None: «Без НДС»
    # the operator of the service (seller of subscriptions, operator of personal data): fills the legal pages
    operator_name: str = "ООО «СТПульс»"
    operator_inn: str = "7701234560"
    operator_ogrn: str = "1027700000129"
    operator_address: str = "г. Москва, ул. Тверская, д. 1"
    operator_email: str = "privacy@stpulse.local"
    billing_trial_days: int = 14
    billing_grace_days: int = 3
    billing_renew_seconds: int = 6 * 3600  # how often the auto-renewal / expiry job runs
    sandbox_enabled: bool = True  # mount the sandbox in-process (embedded mode)
    ozon_requests_per_second: float = 10.0  # per Client-Id (Ozon's limit); raise for the sandbox
    ozon_backoff_base: float = 0.5  # seconds before the first retry of a 429/5xx/timeout
    ozon_timeout: float = 60.0
    sync_backfill_months: int = 12  # the first sync of a shop loads this many calendar months
    sync_recent_days: int = 7  # later syncs re-read these last days (Ozon posts accruals late)
    sync_hourly_seconds: int = 3600
    sync_stale_seconds: int = 30  # a running sync touches its run every third of this; silent this long: taken over
    sync_resume_seconds: int = 15  # how often the worker looks for runs whose worker died

    backup_dir: Path | None = None  # empty: data_dir/backups (a volume of its own in docker/compose.yml)
    backup_keep: int = 14  # archives kept; older ones are deleted after each new backup
    backup_interval_seconds: int = 86400  # the worker makes a backup this often (once however many workers run)

    embedded_worker: bool = True  # run the task worker inside the web process when there is no Redis
    worker_heartbeat_seconds: int = 30
    outbox_relay_seconds: int = 10  # jobs committed while Redis was down are sent this soon after it is back
    worker_heartbeat_stale_seconds: int = 120
    worker_max_retries: int = 5  # a job failing transiently (network, Ozon 429/5xx, database) is retried so often
    worker_min_backoff_ms: int = 5_000  # the first retry waits about this long, doubling up to the maximum
    worker_max_backoff_ms: int = 300_000

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        """A typo fails at start-up, not at the first login."""
        for part in value.split(","):
            if part.strip():
                ipaddress.ip_network(part.strip(), strict=False)
        return value

    @model_validator(mode="after")
    def _sandbox_urls(self) -> Settings:
        """External base URLs default to the sandbox mounted in this very server, wherever it listens."""
        base = self.base_url.rstrip("/")
        self.ozon_seller_url = self.ozon_seller_url or f"{base}/sandbox/ozon"
        self.ozon_performance_url = self.ozon_performance_url or f"{base}/sandbox/performance"
        self.yookassa_api_url = self.yookassa_api_url or f"{base}/sandbox/yookassa/v3"
        return self

    def check_production(self) -> None:
        """Refuse to serve production with the embedded defaults that would be unsafe there."""
        problem = secret_key_problem(self.secret_key) if self.mode == "production" else None
        if self.mode == "production" and self.cookie_secure is False:
            raise SystemExit("STPULSE_COOKIE_SECURE=false недопустим в production: куки сессии передаются только "
                             "по HTTPS (TLS завершает прокси)")
        if self.mode == "production" and self.frozen_now is not None:
            raise SystemExit("STPULSE_FROZEN_NOW недопустим в production: часы сервера не останавливают")
        if problem:
            raise SystemExit(f"STPULSE_SECRET_KEY не подходит для production: {problem}. Задайте длинное случайное "
                             "значение: python -c \"import secrets; print(secrets.token_urlsafe(48))\"")

    @property
    def backups_dir(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    @property
    def webhook_networks(self) -> tuple[str, ...]:
        nets = tuple(n.strip() for n in self.yookassa_webhook_ips.split(",") if n.strip())
        return (*nets, "127.0.0.1/32", "::1/128") if self.embedded else nets

    def operator(self) -> Operator:
        return Operator(name=self.operator_name, inn=self.operator_inn, ogrn=self.operator_ogrn,
                        address=self.operator_address, email=self.operator_email, site=self.base_url.rstrip("/"))

    @property
    def db_pool_size(self) -> int:
        """Connections of one process's pool: the app's share split over the web processes and the worker."""
        return max(2, self.db_connections // (max(self.web_processes, 1) + 1))

    @property
    def embedded(self) -> bool:
        return self.mode == "embedded"

    @property
    def secure_cookies(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else not self.embedded

    @property
    def upload_body_max(self) -> int:
        """The body limit of the upload routes: the file plus the multipart envelope."""
        return 2 * self.upload_max_bytes + 1024 * 1024  # a bit over: the form itself says the limit

    @property
    def json_logs(self) -> bool:
        return self.log_json if self.log_json is not None else not self.embedded

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
