"""Report definitions: pure functions from aggregated money to render-ready tables."""
