"""How guessable a password is, by zxcvbn (Dropbox's estimator: dictionaries, keyboard walks, repeats, dates)."""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn

MAX_CHECKED = 100  # zxcvbn's time grows with length; a longer password's tail adds no weakness worth finding


class ZxcvbnStrength:
    def score(self, password: str, hints: Sequence[str]) -> int:
        return int(zxcvbn(password[:MAX_CHECKED], user_inputs=[h for h in hints if h])["score"])
