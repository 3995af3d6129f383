"""Russian amount in words for invoices and VAT extraction.

123456 kopecks → «Одна тысяча двести тридцать четыре рубля 56 копеек» (roubles in words, kopecks as
two digits, as Russian accounting documents write it).
"""

from __future__ import annotations

from stpulse.domain.kernel.errors import DomainError
from stpulse.domain.kernel.formatting import format_amount

_UNITS_M = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_UNITS_F = ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)

# (forms for 1 / 2–4 / 5–20, feminine?) for each power of a thousand, starting with 10^3.
_SCALES = (
    (("тысяча", "тысячи", "тысяч"), True),
    (("миллион", "миллиона", "миллионов"), False),
    (("миллиард", "миллиарда", "миллиардов"), False),
    (("триллион", "триллиона", "триллионов"), False),
)
RUBLE_FORMS = ("рубль", "рубля", "рублей")
KOPECK_FORMS = ("копейка", "копейки", "копеек")


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """Russian plural form for `n`: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    n = abs(n) % 100
    if 11 <= n <= 19:
        return forms[2]
    last = n % 10
    if last == 1:
        return forms[0]
    if 2 <= last <= 4:
        return forms[1]
    return forms[2]


def _triad(n: int, feminine: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_HUNDREDS[hundreds]]
    if 10 <= rest <= 19:
        words.append(_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        words += [_TENS[tens], (_UNITS_F if feminine else _UNITS_M)[units]]
    return [w for w in words if w]


def number_in_words(n: int, feminine: bool = False) -> str:
    """A non-negative integer in Russian words; `feminine` agrees the last triad (одна, две)."""
    if n < 0:
        raise DomainError("Сумма прописью не может быть отрицательной")
    if n == 0:
        return "ноль"
    triads = []
    while n:
        n, triad = divmod(n, 1000)
        triads.append(triad)
    if len(triads) > len(_SCALES) + 1:
        raise DomainError("Слишком большая сумма")
    words: list[str] = []
    for power in range(len(triads) - 1, 0, -1):
        value = triads[power]
        if value:
            forms, fem = _SCALES[power - 1]
            words += _triad(value, fem) + [plural(value, forms)]
    words += _triad(triads[0], feminine)
    return " ".join(words)


def amount_in_words(kopecks: int) -> str:
    """«Одна тысяча двести тридцать четыре рубля 56 копеек» for 123456 kopecks."""
    if kopecks < 0:
        raise DomainError("Сумма прописью не может быть отрицательной")
    roubles, kop = divmod(kopecks, 100)
    text = f"{number_in_words(roubles)} {plural(roubles, RUBLE_FORMS)} {kop:02d} {plural(kop, KOPECK_FORMS)}"
    return text[0].upper() + text[1:]


def vat_included(total: int, rate_percent: int) -> int:
    """VAT contained in a VAT-inclusive `total`: total × rate / (100 + rate), half-up to the kopeck."""
    if rate_percent < 0:
        raise DomainError("Ставка НДС не может быть отрицательной")
    denominator = 100 + rate_percent
    sign = -1 if total < 0 else 1
    return sign * ((abs(total) * rate_percent * 2 + denominator) // (2 * denominator))


def vat_line(total: int, rate_percent: int | None) -> str:
    """«В том числе НДС 20%: 205,76 руб.» or «Без НДС» (rate None: the supplier is not a VAT payer)."""
    if rate_percent is None:
        return "Без НДС"
    return f"В том числе НДС {rate_percent}%: {format_amount(vat_included(total, rate_percent))} руб."
