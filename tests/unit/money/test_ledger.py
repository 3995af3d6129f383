"""The accrual type → article mapping: seeded from ARTICLES.md, editable, unknown types never dropped."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.articles import ARTICLE_INDEX, ARTICLES, MAPPABLE, LedgerMapping
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES
from tests.unit.money._money_builders import commission, sale, service

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path("/work/shared/ozon")
D = dt.date(2026, 3, 1)


def test_article_codes_are_unique_and_named_in_russian():
    assert len(ARTICLE_INDEX) == len(ARTICLES)
    assert all(a.name and a.sign in (1, -1) for a in ARTICLES)


def test_default_mapping_targets_are_known_articles():
    assert set(DEFAULT_TYPE_ARTICLES.values()) <= MAPPABLE


@pytest.mark.skipif(not (SHARED / "ARTICLES.md").exists(), reason="ARTICLES.md not available")
def test_default_mapping_is_exactly_what_articles_md_says():
    out = subprocess.run([sys.executable, str(ROOT / "tools/gen_default_mapping.py"), str(SHARED / "ARTICLES.md")],
                         capture_output=True, text=True, check=True).stdout
    assert out == (ROOT / "src/stpulse/domain/ledger/default_mapping.py").read_text(encoding="utf-8")


@pytest.mark.skipif(not (SHARED / "accrual-types.json").exists(), reason="accrual-types.json not available")
def test_every_known_ozon_type_is_mapped():
    types = json.loads((SHARED / "accrual-types.json").read_text(encoding="utf-8"))["accrual_types"]
    assert {t["id"] for t in types} <= set(DEFAULT_TYPE_ARTICLES)


def test_worked_examples_of_resolution():
    m = LedgerMapping.default()
    assert m.resolve(sale(D, 1, 359200)) == "revenue"
    assert m.resolve(sale(D, 1, -359200)) == "returns"
    assert m.resolve(sale(D, 1, 0)) == "revenue"
    assert m.resolve(commission(D, 1, -161640)) == "commission"
    assert m.resolve(commission(D, 1, 161640)) == "commission"  # given back on a return
    assert m.resolve(service(D, 32, -12600, sku=1)) == "logistics"
    assert m.resolve(service(D, 1, -1355, sku=1)) == "acquiring"
    assert m.resolve(service(D, 72, -100)) == "non_pnl"


def test_unknown_type_goes_to_other_and_is_reported():
    m = LedgerMapping.default()
    assert m.resolve(service(D, 4242, -100)) == "other"
    assert m.unmapped([1, 4242, None, 32]) == (None, 4242)


def test_admin_can_remap_and_bad_targets_are_refused():
    m = LedgerMapping.default().with_changes({4242: "penalties"})
    assert m.resolve(service(D, 4242, -100)) == "penalties"
    with pytest.raises(ValidationError) as err:
        LedgerMapping.default().with_changes({5: "nonsense", 6: "revenue"})
    assert set(err.value.fields) == {"type_id:5", "type_id:6"}


def test_lookup_table_matches_resolve():
    m = LedgerMapping.default()
    table = m.lookup_table(200)
    for tid in range(200):
        assert ARTICLES[table[tid]].code == m.resolve(service(D, tid, -1))
