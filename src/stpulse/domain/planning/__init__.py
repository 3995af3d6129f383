"""Planning: sales velocity on in-stock days, seasonality and the supply recommendation (pure rules)."""
