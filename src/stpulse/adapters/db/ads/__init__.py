"""Storage of the ads context: Performance keys (encrypted secrets) and the campaigns they list."""
