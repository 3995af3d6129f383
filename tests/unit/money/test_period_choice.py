"""Issue 18.9/18.11: a bad period becomes the nearest valid one with a note; periods read «декабрь 2025 — ноябрь 2026»."""

from stpulse.domain.kernel.period import MAX_MONTHS, nearest_period, parse_month, period_label

DEFAULT = (parse_month("2025-12"), parse_month("2026-11"))


def test_nearest_valid_period_and_what_was_wrong():
    assert nearest_period("2026-01", "2026-03", DEFAULT)[1] is None
    period, note = nearest_period("2026-05", "2026-02", DEFAULT)
    assert period.label == "февраль 2026 — май 2026" and note and note.startswith("Конец периода раньше начала")
    period, note = nearest_period("junk", "2026-03", DEFAULT)
    assert period.label == "декабрь 2025 — март 2026" and note and "«junk» не распознан" in note
    period, note = nearest_period("2020-01", "2026-12", DEFAULT)
    assert len(period.months) == MAX_MONTHS and period.last_month == parse_month("2026-12")
    assert note and f"длиннее {MAX_MONTHS} месяцев" in note


def test_period_labels_are_russian_words():
    assert period_label(*DEFAULT) == "декабрь 2025 — ноябрь 2026"
    assert period_label(DEFAULT[0], DEFAULT[0]) == "декабрь 2025"
