"""Benchmarks: `graphbrm bench` (W1–W7 of issue 9 on a seeded company) and the HTTP load."""
