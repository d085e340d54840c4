"""graphbrm's HTTP API and web UI (FastAPI)."""
