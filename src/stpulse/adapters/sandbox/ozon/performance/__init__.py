"""Ozon Performance API sandbox, served beside the Seller one and generated from the same seeds.

config.py (ad accounts, limits) · world.py (campaigns and their daily statistics) · state.py (tokens, reports) ·
http.py (the routes). Import from the modules: the package stays empty so the Seller config can name its config.
"""
