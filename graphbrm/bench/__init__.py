"""Benchmarks: `graphbrm bench` (the seven workloads W1–W7 on a seeded company) and the HTTP load."""
