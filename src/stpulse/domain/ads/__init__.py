"""The ads context: Performance API keys, how a backfill is cut into Ozon's reports, and each rouble counted once."""
