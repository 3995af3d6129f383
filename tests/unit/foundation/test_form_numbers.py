"""Issue 18.5: a whole-number form field with a huge or non-numeric value is a Russian field error, not a 500."""

import msgspec
import pytest

from stpulse.application.billing.catalog import TariffForm
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.forms import check_whole_numbers


def test_huge_and_non_numeric_whole_numbers_are_field_errors():
    data = {"code": "x", "name": "X", "monthly_price_rub": "999999999999999999999", "max_shops": "три",
            "max_skus": "1 000", "history_months": "12", "discount_3": ""}
    with pytest.raises(ValidationError) as exc:
        check_whole_numbers(TariffForm, data)
    assert exc.value.fields == {"monthly_price_rub": "Слишком большое число", "max_shops": "Введите целое число"}
    data.update(monthly_price_rub="990", max_shops="3")
    check_whole_numbers(TariffForm, data)
    form = msgspec.convert(data, type=TariffForm, strict=False)
    assert form.max_skus == 1000 and form.discount_3 == 5
