"""Wire Structs → application records for buyouts, realization, cash flow, balance and reports."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.adapters.ozon import wire_finance as w
from stpulse.adapters.ozon.convert import decode_raw, kop, moment, present, ratio
from stpulse.application.ozon import finance_records as f
from stpulse.application.ozon import records as r


def buyout(raw: msgspec.Raw, path: str) -> r.BuyoutRow:
    """A buyout line; amounts as JSON numbers or strings alike (exact decimals). A missing amount is the buyout
    price × quantity, and what could not be trusted is said in `anomalies`."""
    x = decode_raw(raw, w.BuyoutProduct, path)
    posting, sku = x.posting_number or "", x.sku or 0
    doubts: list[str] = []
    price = kop(x.buyout_price, path)
    quantity = x.quantity or 0
    if quantity <= 0:
        doubts.append(f"Выкуп {posting}, SKU {sku}: количество не указано или не больше нуля")
        quantity = max(quantity, 0)
    if x.amount is None:
        doubts.append(f"Выкуп {posting}, SKU {sku}: сумма не указана, взята цена выкупа × количество")
        total = price * quantity
    else:
        total = kop(x.amount, path)
    if not sku or not posting:
        doubts.append(f"Выкуп {posting or '(без номера)'}: не указан SKU или номер отправления")
    return r.BuyoutRow(
        posting_number=posting, sku=sku, offer_id=x.offer_id or "", name=x.name or "", quantity=quantity,
        seller_price_per_instance=kop(x.seller_price_per_instance, path),
        buyout_price=price, amount=total,
        deduction_by_category_percent=ratio(x.deduction_by_category_percent),
        vat_percent=x.vat_percent or 0, raw=bytes(raw), anomalies=tuple(doubts),
    )


def report(answer_raw: msgspec.Raw, code: str, path: str) -> r.OzonReport:
    raw = present(answer_raw)
    info = decode_raw(raw, w.ReportInfo, path) if raw is not None else w.ReportInfo(code=code)
    return r.OzonReport(
        code=info.code or code, status=info.status, file_url=info.file, error=info.error,
        raw=bytes(raw) if raw is not None else b"",
    )


def _movement(x: w.RealizationCommission | None, path: str) -> f.RealizationMovement | None:
    if x is None:
        return None
    return f.RealizationMovement(
        quantity=x.quantity or 0, amount=kop(x.amount, path), bonus=kop(x.bonus, path),
        commission=kop(x.commission, path), compensation=kop(x.compensation, path),
        price_per_instance=kop(x.price_per_instance, path), standard_fee=kop(x.standard_fee, path),
        bank_coinvestment=kop(x.bank_coinvestment, path), stars=kop(x.stars, path),
        pick_up_point_coinvestment=kop(x.pick_up_point_coinvestment, path), total=kop(x.total, path),
    )


def realization_row(raw: msgspec.Raw, path: str) -> f.RealizationRow:
    x = decode_raw(raw, w.RealizationRow, path)
    item = x.item or w.RealizationItem()
    return f.RealizationRow(
        row_number=x.rowNumber or 0, sku=item.sku or 0, offer_id=item.offer_id or "", name=item.name or "",
        barcode=item.barcode or "", seller_price_per_instance=kop(x.seller_price_per_instance, path),
        commission_ratio=ratio(x.commission_ratio), delivery=_movement(x.delivery_commission, path),
        returned=_movement(x.return_commission, path), raw=bytes(raw),
    )


def realization(answer: w.RealizationAnswer, year: int, month: int, path: str) -> f.RealizationReport:
    result = answer.result or w.RealizationResult()
    header = present(result.header)
    raw_header = bytes(header) if header is not None else b"{}"
    h = decode_raw(raw_header, w.RealizationHeader, path)
    return f.RealizationReport(
        year=year, month=month, number=h.number, doc_date=h.doc_date, start_date=h.start_date,
        stop_date=h.stop_date, contract_number=h.contract_number, contract_date=h.contract_date,
        currency=h.currency_sys_name, payer_inn=h.payer_inn, payer_name=h.payer_name,
        receiver_inn=h.receiver_inn, receiver_name=h.receiver_name,
        rows=tuple(realization_row(x, path) for x in result.rows or []), raw_header=raw_header,
    )


def realization_day(raw: bytes, path: str) -> tuple[f.RealizationRow, ...]:
    answer = decode_raw(raw, w.RealizationByDayAnswer, path)
    return tuple(realization_row(x, path) for x in answer.rows or [])


def cash_flow(raw: msgspec.Raw, details_answer: msgspec.Raw, path: str) -> f.CashFlowPeriod:
    x = decode_raw(raw, w.CashFlow, path)
    details_raw = present(details_answer)
    d = decode_raw(details_raw, w.CashFlowDetails, path) if details_raw is not None else None
    period = x.period or w.Period()
    same = d is not None and (d.period is None or d.period.id in (None, period.id))
    details = d if same else None
    return f.CashFlowPeriod(
        period_id=period.id or 0, begin=moment(period.begin), end=moment(period.end),
        currency_code=x.currency_code or "", orders_amount=kop(x.orders_amount, path),
        returns_amount=kop(x.returns_amount, path), commission_amount=kop(x.commission_amount, path),
        services_amount=kop(x.services_amount, path),
        item_delivery_and_return_amount=kop(x.item_delivery_and_return_amount, path),
        begin_balance=kop(details.begin_balance_amount, path) if details else None,
        end_balance=kop(details.end_balance_amount, path) if details else None,
        invoice_transfer=kop(details.invoice_transfer, path) if details else None,
        payments=tuple(kop(p.payment, path) for p in (details.payments or [])) if details else (),
        raw=msgspec.json.encode({"cash_flow": raw, "details": details_raw}),
    )


def _value(v: w.Value | None, path: str) -> int:
    return kop(v.value if v else None, path)


def balance(raw: bytes, date_from: dt.date, date_to: dt.date, path: str) -> f.BalanceReport:
    x = decode_raw(raw, w.BalanceAnswer, path)
    total, flows = x.total or w.BalanceTotal(), x.cashflows or w.BalanceCashflows()
    sales, returns = flows.sales or w.BalanceFlow(), flows.returns or w.BalanceFlow()
    return f.BalanceReport(
        date_from=date_from, date_to=date_to, opening_balance=_value(total.opening_balance, path),
        closing_balance=_value(total.closing_balance, path), accrued=_value(total.accrued, path),
        payments=tuple(_value(p, path) for p in total.payments or []),
        sales_amount=_value(sales.amount, path), sales_fee=_value(sales.fee, path),
        returns_amount=_value(returns.amount, path), returns_fee=_value(returns.fee, path),
        services=tuple(
            f.BalanceService(name=s.name, amount=_value(s.amount, path)) for s in flows.services or []
        ),
        raw=raw,
    )
