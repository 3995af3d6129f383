"""Russian amount in words for the invoice PDF (presentation, so the library stays out of the domain).

123456 kopecks → «Одна тысяча двести тридцать четыре рубля 56 копеек» (roubles in words, kopecks as
two digits, as Russian accounting documents write it). The words come from `num2words` (lang ru, RUB).
"""

from __future__ import annotations

from num2words import num2words
from num2words.lang_RU import Num2Word_RU

from stpulse.domain.kernel.errors import DomainError

_RU = Num2Word_RU()
_MAX_KOPECKS = 10**17  # a quadrillion roubles: far above any invoice, within num2words' scales


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """Russian plural form for `n`: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    return str(_RU.pluralize(abs(n), forms))


def number_in_words(n: int) -> str:
    """A non-negative integer in Russian words (masculine: «двадцать один»)."""
    if n < 0:
        raise DomainError("Сумма прописью не может быть отрицательной")
    return str(num2words(n, lang="ru"))


def amount_in_words(kopecks: int) -> str:
    """«Одна тысяча двести тридцать четыре рубля 56 копеек» for 123456 kopecks."""
    if kopecks < 0:
        raise DomainError("Сумма прописью не может быть отрицательной")
    if kopecks >= _MAX_KOPECKS:
        raise DomainError("Слишком большая сумма")
    text = str(num2words(kopecks, lang="ru", to="currency", currency="RUB", cents=False, separator=""))
    return text[0].upper() + text[1:]
