"""Litestar handlers of the Ozon Seller API sandbox."""
