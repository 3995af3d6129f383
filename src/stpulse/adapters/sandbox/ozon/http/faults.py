"""Deterministic fault injection: 429, 5xx and slow answers decided by a seeded hash.

A decision depends on (fault seed, client, path, body, attempt number), never on timing, so a run
repeats exactly. An identical request is faulted at most `max_consecutive` times in a row, so a client
that retries always gets through — with the correct answer: faults never touch data.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from stpulse.adapters.sandbox.ozon.config import FaultConfig
from stpulse.adapters.sandbox.ozon.http.errors import (
    INTERNAL,
    MSG_CIRCLE_OPEN,
    MSG_INTERNAL,
    MSG_RATE_LIMIT,
    RESOURCE_EXHAUSTED,
    UNAVAILABLE,
)

_MAX_TRACKED = 50_000


@dataclass(frozen=True)
class Fault:
    status: int = 0  # 0: no error answer
    code: int = 0
    message: str = ""
    delay: float = 0.0


class FaultEngine:
    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._streaks: OrderedDict[bytes, int] = OrderedDict()
        self.injected = {"429": 0, "5xx": 0, "slow": 0}

    def _uniform(self, key: bytes, attempt: int, salt: bytes) -> float:
        digest = hashlib.blake2b(key + attempt.to_bytes(4, "big") + salt,
                                 key=str(self.config.seed).encode()[:64], digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def decide(self, client_id: str, path: str, body: bytes) -> Fault:
        cfg = self.config
        key = hashlib.blake2b(f"{client_id}\n{path}\n".encode() + body, digest_size=16).digest()
        attempt = self._streaks.pop(key, 0)
        if attempt >= cfg.max_consecutive:  # not even slow: a slow roll here would repeat on every retry
            return Fault()
        delay = 0.0
        if cfg.share_slow and self._uniform(key, attempt, b"slow") < cfg.share_slow:
            delay = cfg.slow_seconds
            self.injected["slow"] += 1
        if delay:  # a client that timed out retries the same request: let the next attempt roll again
            self._streaks[key] = attempt + 1
        roll = self._uniform(key, attempt, b"fail")
        if roll < cfg.share_429:
            fault = Fault(429, RESOURCE_EXHAUSTED, MSG_RATE_LIMIT, delay)
            self.injected["429"] += 1
        elif roll < cfg.share_429 + cfg.share_5xx:
            fault = (Fault(500, INTERNAL, MSG_INTERNAL, delay) if roll * 1000 % 2 < 1
                     else Fault(503, UNAVAILABLE, MSG_CIRCLE_OPEN, delay))
            self.injected["5xx"] += 1
        else:
            return Fault(delay=delay)
        self._streaks[key] = attempt + 1
        if len(self._streaks) > _MAX_TRACKED:
            self._streaks.popitem(last=False)
        return fault
