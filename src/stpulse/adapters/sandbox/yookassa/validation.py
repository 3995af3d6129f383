"""Parsing and checks of payment and refund requests as YooKassa does them, including the 54-FZ receipt."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from stpulse.adapters.sandbox.yookassa.errors import invalid

VAT_CODES = frozenset(range(1, 13))
PAYMENT_SUBJECTS = frozenset(
    {
        "commodity",
        "excise",
        "job",
        "service",
        "gambling_bet",
        "gambling_prize",
        "lottery",
        "lottery_prize",
        "intellectual_activity",
        "payment",
        "agent_commission",
        "property_right",
        "non_operating_gain",
        "insurance_premium",
        "sales_tax",
        "resort_fee",
        "composite",
        "another",
        "fine",
        "tax",
        "lien",
        "cost",
        "pension_insurance_without_payouts",
        "pension_insurance_with_payouts",
        "health_insurance_without_payouts",
        "health_insurance_with_payouts",
        "health_insurance",
        "casino",
        "agent_withdrawals",
        "non_marked_excise",
        "marked_excise",
        "marked",
        "non_marked",
    }
)
PAYMENT_MODES = frozenset(
    {
        "full_prepayment",
        "partial_prepayment",
        "advance",
        "full_payment",
        "partial_payment",
        "credit",
        "credit_payment",
    }
)


def parse_amount(raw: Any, parameter: str = "amount") -> tuple[int, str]:
    """`{"value": "10.00", "currency": "RUB"}` → (1000, "RUB")."""
    if not isinstance(raw, dict) or "value" not in raw or "currency" not in raw:
        raise invalid(f"Parameter '{parameter}' must contain value and currency", parameter)
    try:
        value = Decimal(str(raw["value"]))
    except InvalidOperation:
        raise invalid(f"Invalid {parameter}.value", f"{parameter}.value") from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise invalid(
            f"Invalid {parameter}.value: must be positive with at most 2 decimals", f"{parameter}.value"
        )
    if raw["currency"] != "RUB":
        raise invalid("Only RUB is supported by this shop", f"{parameter}.currency")
    return int(value * 100), "RUB"


def format_amount(kopecks: int, currency: str = "RUB") -> dict[str, str]:
    return {"value": f"{kopecks // 100}.{kopecks % 100:02d}", "currency": currency}


def check_receipt(receipt: Any, amount: int, parameter: str = "receipt") -> None:
    """54-FZ: a customer contact, items with VAT code, subject and mode; items add up to the amount."""
    if not isinstance(receipt, dict):
        raise invalid("Receipt must be an object", parameter)
    customer = receipt.get("customer") or {}
    if not (customer.get("email") or customer.get("phone") or receipt.get("email") or receipt.get("phone")):
        raise invalid("Receipt must contain customer.email or customer.phone", f"{parameter}.customer")
    items = receipt.get("items")
    if not isinstance(items, list) or not items:
        raise invalid("Receipt must contain at least one item", f"{parameter}.items")
    total = sum(_item_sum(item, i, receipt, parameter) for i, item in enumerate(items))
    if total != amount:
        raise invalid(
            f"Sum of receipt items ({format_amount(total)['value']}) doesn't match "
            f"the amount ({format_amount(amount)['value']})",
            f"{parameter}.items",
        )


def _item_sum(item: Any, index: int, receipt: dict, parameter: str) -> int:
    where = f"{parameter}.items[{index}]"
    if not isinstance(item, dict):
        raise invalid("Receipt item must be an object", where)
    description = item.get("description")
    if not isinstance(description, str) or not 0 < len(description) <= 128:
        raise invalid("Item description is required, up to 128 characters", f"{where}.description")
    price, _ = parse_amount(item.get("amount"), f"{where}.amount")
    try:
        quantity = Decimal(str(item.get("quantity")))
    except InvalidOperation:
        raise invalid("Invalid item quantity", f"{where}.quantity") from None
    if not quantity.is_finite() or quantity <= 0:
        raise invalid("Invalid item quantity", f"{where}.quantity")
    vat_code = item.get("vat_code")
    if vat_code is None and receipt.get("tax_system_code") is None:
        raise invalid("Item vat_code is required", f"{where}.vat_code")
    if vat_code is not None and (not isinstance(vat_code, int) or vat_code not in VAT_CODES):
        raise invalid("Invalid item vat_code", f"{where}.vat_code")
    if item.get("payment_subject") is not None and item["payment_subject"] not in PAYMENT_SUBJECTS:
        raise invalid("Invalid item payment_subject", f"{where}.payment_subject")
    if item.get("payment_mode") is not None and item["payment_mode"] not in PAYMENT_MODES:
        raise invalid("Invalid item payment_mode", f"{where}.payment_mode")
    return int((price * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_description(body: dict) -> str | None:
    description = body.get("description")
    if description is not None and (not isinstance(description, str) or len(description) > 128):
        raise invalid("Description must be a string up to 128 characters", "description")
    return description


def check_metadata(body: dict) -> dict[str, str]:
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict) or len(metadata) > 16:
        raise invalid("Metadata must be an object with at most 16 keys", "metadata")
    for key, value in metadata.items():
        if len(key) > 32 or not isinstance(value, str | int | float | bool) or len(str(value)) > 512:
            raise invalid("Metadata keys are up to 32 and values up to 512 characters", "metadata")
    return {k: str(v) for k, v in metadata.items()}


def check_confirmation(body: dict) -> str | None:
    """The return URL of a redirect confirmation; None when the payment needs no confirmation."""
    confirmation = body.get("confirmation")
    if confirmation is None:
        if not body.get("payment_method_id"):
            raise invalid("Confirmation is required for this payment method", "confirmation")
        return None
    if not isinstance(confirmation, dict) or confirmation.get("type") != "redirect":
        raise invalid("Only the redirect confirmation type is supported by the sandbox", "confirmation.type")
    return_url = confirmation.get("return_url")
    if not isinstance(return_url, str) or not return_url.startswith(("http://", "https://")):
        raise invalid("confirmation.return_url must be an absolute http(s) URL", "confirmation.return_url")
    return return_url
