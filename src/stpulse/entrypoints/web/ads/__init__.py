"""Pages of the ads context: a shop's Performance keys and their import."""
