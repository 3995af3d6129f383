"""STPulse — financial accounting for Ozon sellers."""
