"""Benchmarks: `graphbrm bench` (query medians on a scratch company) and the HTTP load script."""
