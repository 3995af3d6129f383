"""Ozon Seller API adapter: httpx transport, paging and chunking, accrual normalisation."""

from stpulse.adapters.ozon.accruals import DISCREPANCY_TYPE_ID, normalise_accrual
from stpulse.adapters.ozon.client import OzonHttp, OzonHttpSettings, build_http_client
from stpulse.adapters.ozon.seller_api import OzonSellerClient, OzonSellerClientFactory

__all__ = [
    "DISCREPANCY_TYPE_ID",
    "OzonHttp",
    "OzonHttpSettings",
    "OzonSellerClient",
    "OzonSellerClientFactory",
    "build_http_client",
    "normalise_accrual",
]
