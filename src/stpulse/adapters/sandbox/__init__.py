"""A deterministic imitation of the outside world (Ozon Seller API, YooKassa) for demo, tests and benchmarks."""
