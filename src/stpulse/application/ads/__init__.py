"""The ads context: Performance API keys of the shops and the import of their statistics."""
