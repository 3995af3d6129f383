"""Page sizes and limits the sandbox enforces, as documented by Ozon (or chosen, where Ozon is silent).

A benchmark computes the minimum number of requests from these, e.g. accruals of a day need
max(1, ceil(n / ACCRUAL_BY_DAY_PAGE_SIZE)) calls of /v1/finance/accrual/by-day.
"""

import datetime as dt

ACCRUAL_BY_DAY_PAGE_SIZE = 1000  # Ozon documents no page size for by-day; the sandbox pages by 1000
ACCRUAL_EARLIEST_DATE = dt.date(2022, 1, 1)  # «Самая ранняя — 1 января 2022 года»
ACCRUAL_POSTINGS_MAX = 1000  # posting_numbers per /v1/finance/accrual/postings call (undocumented)
POSTING_LIST_MAX_LIMIT = 100  # /v3/posting/fbo/list, /v4/posting/fbs/list: limit 1..100, cursor paging
POSTING_MAX_PERIOD_DAYS = 365  # PERIOD_IS_TOO_LONG «больше года»: refused from 365 days on (the strictest reading)
RETURNS_MAX_LIMIT = 500
RETURNS_MAX_POSTINGS = 50
PRODUCT_LIST_MAX_LIMIT = 1000
PRODUCT_INFO_MAX_IDS = 1000  # offer_id + product_id + sku together
PRICES_MAX_LIMIT = 1000
STOCKS_MAX_LIMIT = 1000
ANALYTICS_STOCKS_MAX_SKUS = 100
TURNOVER_MAX_LIMIT = 1000
SUPPLY_LIST_MAX_LIMIT = 100
SUPPLY_GET_MAX_IDS = 50
SUPPLY_BUNDLE_MAX_LIMIT = 100  # /v1/supply-order/bundle: undocumented, chosen
BALANCE_MAX_DAYS = 30  # date_to - date_from
BUYOUT_MAX_DAYS = 31  # date_to - date_from
REALIZATION_BY_DAY_MAX_AGE_DAYS = 32
REALIZATION_EARLIEST = (2023, 8)
CASH_FLOW_MAX_PAGE_SIZE = 1000  # undocumented, chosen
