"""Wire Structs → application records for orders, returns and the catalogue (kopecks, raw kept)."""

from __future__ import annotations

import msgspec

from stpulse.adapters.ozon import wire_catalog as w
from stpulse.adapters.ozon import wire_supply as ws
from stpulse.adapters.ozon.convert import decode_raw, kop, moment, ratio
from stpulse.application.ozon import records as r


def posting(raw: msgspec.Raw, scheme: str, path: str) -> r.Posting:
    p = decode_raw(raw, w.PostingW, path)
    analytics, finance = p.analytics_data, p.financial_data
    warehouse_id = analytics.warehouse_id if analytics else None
    warehouse_name = (analytics.warehouse_name or analytics.warehouse or "") if analytics else ""
    if p.delivery_method is not None:
        warehouse_id = warehouse_id or p.delivery_method.warehouse_id
        warehouse_name = warehouse_name or p.delivery_method.warehouse or ""
    cancel = p.cancel_reason_id or (p.cancellation.cancel_reason_id if p.cancellation else None) or 0
    return r.Posting(
        scheme=scheme, posting_number=p.posting_number, order_id=p.order_id or 0,
        order_number=p.order_number or "", status=p.status or "", substatus=p.substatus or "",
        created_at=moment(p.created_at), in_process_at=moment(p.in_process_at),
        shipment_date=moment(p.shipment_date), cancel_reason_id=cancel, warehouse_id=warehouse_id,
        warehouse_name=warehouse_name, cluster_from=(finance.cluster_from or "") if finance else "",
        cluster_to=(finance.cluster_to or "") if finance else "",
        products=tuple(_posting_product(x, path) for x in p.products or []),
        financials=tuple(_posting_finance(x, _quantities(p.products), path)
                         for x in ((finance.products if finance else None) or [])),
        raw=bytes(raw),
    )


def _posting_product(x: w.PostingProductW, path: str) -> r.PostingProduct:
    price = x.price.amount if isinstance(x.price, w.PostingMoney) else x.price
    return r.PostingProduct(
        sku=x.sku, offer_id=x.offer_id or "", name=x.name or "", quantity=x.quantity or 0,
        price=kop(price, path), is_marketplace_buyout=bool(x.is_marketplace_buyout),
    )


def _quantities(products: list[w.PostingProductW] | None) -> dict[int, int]:
    by_sku: dict[int, int] = {}
    for x in products or []:
        by_sku[x.sku] = by_sku.get(x.sku, 0) + (x.quantity or 0)
    return by_sku


def _posting_finance(x: w.FinancialProduct, quantities: dict[int, int], path: str) -> r.PostingFinance:
    """`/v3/posting/fbo/list` gives no quantity here: it is the posting's quantity of that SKU."""
    c = x.commission
    return r.PostingFinance(
        sku=x.product_id, quantity=x.quantity or quantities.get(x.product_id, 0), price=kop(x.price, path),
        old_price=kop(x.old_price, path), payout=kop(x.payout, path),
        commission_amount=kop(c.amount if c and c.amount is not None else x.commission_amount, path),
        commission_percent=ratio(c.percent if c and c.percent is not None else x.commission_percent),
    )


def _price(p: w.Price | None, path: str) -> int:
    return kop(p.price if p else None, path)


def return_record(raw: msgspec.Raw, path: str) -> r.ReturnRecord:
    x = decode_raw(raw, w.ReturnW, path)
    product = x.product or w.ReturnProduct()
    status = (x.visual.status if x.visual else None) or w.VisualStatus()
    storage = x.storage or w.Storage()
    return r.ReturnRecord(
        id=x.id, scheme=x.schema or "", type=x.type or "", posting_number=x.posting_number or "",
        order_id=x.order_id or 0, order_number=x.order_number or "", sku=product.sku,
        offer_id=product.offer_id or "", name=product.name or "", quantity=product.quantity or 0,
        price=_price(product.price, path), price_without_commission=_price(product.price_without_commission, path),
        commission=_price(product.commission, path), commission_percent=ratio(product.commission_percent),
        reason=x.return_reason_name or "", status=status.sys_name or "", status_name=status.display_name or "",
        status_changed_at=moment(x.visual.change_moment if x.visual else None),
        returned_at=moment(x.logistic.return_date if x.logistic else None),
        final_at=moment(x.logistic.final_moment if x.logistic else None),
        place_name=(x.place.name or "") if x.place else "",
        target_place_name=(x.target_place.name or "") if x.target_place else "",
        storage_sum=_price(storage.sum, path), utilization_sum=_price(storage.utilization_sum, path),
        raw=bytes(raw), compensation_status=((x.compensation_status.status.sys_name or "") if x.compensation_status
                                             and x.compensation_status.status else ""),
    )


def product(raw: msgspec.Raw, path: str) -> r.Product:
    x = decode_raw(raw, w.ProductListItem, path)
    return r.Product(
        product_id=x.product_id, offer_id=x.offer_id or "", archived=bool(x.archived),
        has_fbo_stocks=bool(x.has_fbo_stocks), has_fbs_stocks=bool(x.has_fbs_stocks),
        is_discounted=bool(x.is_discounted), raw=bytes(raw),
    )


def product_info(raw: msgspec.Raw, path: str) -> r.ProductInfo:
    x = decode_raw(raw, w.ProductInfoW, path)
    commissions = tuple(
        r.ProductCommission(
            sale_schema=c.sale_schema or "", percent=ratio(c.percent), value=kop(c.value, path),
            delivery_amount=kop(c.delivery_amount, path), return_amount=kop(c.return_amount, path),
        )
        for c in x.commissions or []
    )
    return r.ProductInfo(
        product_id=x.id, offer_id=x.offer_id or "", sku=x.sku or 0, name=x.name or "",
        barcodes=tuple(x.barcodes or ()), price=kop(x.price, path), old_price=kop(x.old_price, path),
        min_price=kop(x.min_price, path), vat=x.vat or "", currency_code=x.currency_code or "",
        volume_weight=ratio(x.volume_weight), is_archived=bool(x.is_archived),
        model_id=x.model_info.model_id if x.model_info else None, created_at=moment(x.created_at),
        commissions=commissions, raw=bytes(raw),
    )


def product_price(raw: msgspec.Raw, path: str) -> r.ProductPrice:
    x = decode_raw(raw, w.PriceItem, path)
    p, c = x.price or w.PriceBlock(), x.commissions or w.PriceCommissions()
    return r.ProductPrice(
        product_id=x.product_id, offer_id=x.offer_id or "", price=kop(p.price, path),
        old_price=kop(p.old_price, path), min_price=kop(p.min_price, path),
        marketing_seller_price=kop(p.marketing_seller_price, path), net_price=kop(p.net_price, path),
        retail_price=kop(p.retail_price, path), vat=ratio(p.vat), acquiring=kop(x.acquiring, path),
        sales_percent_fbo=ratio(c.sales_percent_fbo), sales_percent_fbs=ratio(c.sales_percent_fbs),
        sales_percent_rfbs=ratio(c.sales_percent_rfbs), sales_percent_fbp=ratio(c.sales_percent_fbp),
        fbo_deliv_to_customer_amount=kop(c.fbo_deliv_to_customer_amount, path),
        fbs_deliv_to_customer_amount=kop(c.fbs_deliv_to_customer_amount, path),
        fbo_return_flow_amount=kop(c.fbo_return_flow_amount, path),
        fbs_return_flow_amount=kop(c.fbs_return_flow_amount, path), raw=bytes(raw),
    )


def stock_rows(raw: msgspec.Raw, path: str) -> list[r.StockRow]:
    x = decode_raw(raw, w.StockItem, path)
    return [
        r.StockRow(
            product_id=x.product_id, offer_id=x.offer_id or "", sku=s.sku or 0, warehouse_type=s.type or "",
            shipment_type=s.shipment_type or "", present=s.present or 0, reserved=s.reserved or 0,
            warehouse_ids=tuple(s.warehouse_ids or ()), raw=bytes(raw),
        )
        for s in x.stocks or []
    ]


def analytics_stock(raw: msgspec.Raw, path: str) -> r.AnalyticsStockRow:
    x = decode_raw(raw, ws.AnalyticsStockItem, path)
    return r.AnalyticsStockRow(
        sku=x.sku, offer_id=x.offer_id or "", name=x.name or "", cluster_id=x.cluster_id,
        cluster_name=x.cluster_name or "", warehouse_id=x.warehouse_id, warehouse_name=x.warehouse_name or "",
        available=x.available_stock_count or 0, valid=x.valid_stock_count or 0,
        transit=x.transit_stock_count or 0, requested=x.requested_stock_count or 0,
        returning_from_customers=x.return_from_customer_stock_count or 0,
        returning_to_seller=x.return_to_seller_stock_count or 0, other=x.other_stock_count or 0,
        ads=ratio(x.ads), ads_cluster=ratio(x.ads_cluster), idc=ratio(x.idc), idc_cluster=ratio(x.idc_cluster),
        days_without_sales=x.days_without_sales or 0, turnover_grade=x.turnover_grade or "",
        turnover_grade_cluster=x.turnover_grade_cluster or "", raw=bytes(raw),
    )


def turnover(raw: msgspec.Raw, path: str) -> r.TurnoverRow:
    x = decode_raw(raw, ws.TurnoverItem, path)
    return r.TurnoverRow(
        sku=x.sku, offer_id=x.offer_id or "", name=x.name or "", ads=ratio(x.ads),
        current_stock=x.current_stock or 0, idc=ratio(x.idc), idc_grade=x.idc_grade or "",
        turnover=ratio(x.turnover), turnover_grade=x.turnover_grade or "", raw=bytes(raw),
    )


def cluster(raw: msgspec.Raw, path: str) -> r.Cluster:
    x = decode_raw(raw, ws.ClusterW, path)
    warehouses = tuple(
        r.ClusterWarehouse(warehouse_id=h.warehouse_id, name=h.name or "", type=h.type or "")
        for lc in x.logistic_clusters or [] for h in lc.warehouses or []
    )
    return r.Cluster(
        id=x.id, name=x.name or "", type=x.type or "", macrolocal_cluster_id=x.macrolocal_cluster_id,
        warehouses=warehouses, raw=bytes(raw),
    )


def supply_order(raw: msgspec.Raw, path: str) -> r.SupplyOrder:
    x = decode_raw(raw, ws.SupplyOrderW, path)
    slot = x.timeslot.timeslot if x.timeslot and x.timeslot.timeslot else ws.Interval()
    supplies = tuple(
        r.Supply(
            supply_id=s.supply_id, bundle_id=s.bundle_id or "", state=s.state or "",
            storage_warehouse_id=s.storage_warehouse.warehouse_id if s.storage_warehouse else None,
            storage_warehouse_name=(s.storage_warehouse.name or "") if s.storage_warehouse else "",
            arrival_date=moment(s.storage_warehouse.arrival_date if s.storage_warehouse else None),
            macrolocal_cluster_id=s.macrolocal_cluster_id,
        )
        for s in x.supplies or []
    )
    dropoff = x.dropoff_warehouse or ws.DropoffWarehouse()
    return r.SupplyOrder(
        order_id=x.order_id, order_number=x.order_number or "", state=x.state or "",
        created_date=moment(x.created_date), state_updated_date=moment(x.state_updated_date),
        dropoff_warehouse_id=dropoff.warehouse_id, dropoff_warehouse_name=dropoff.name or "",
        timeslot_from=moment(slot.from_), timeslot_to=moment(slot.to), supplies=supplies, raw=bytes(raw),
    )


def bundle_item(raw: msgspec.Raw, path: str) -> r.BundleItem:
    x = decode_raw(raw, ws.BundleItemW, path)
    return r.BundleItem(sku=x.sku, offer_id=x.offer_id or "", quantity=x.quantity or 0)
