"""All settings in one place, read from GRAPHBRM_* environment variables when asked for."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return platformdirs.user_data_path("graphbrm")


class Settings(BaseSettings):
    """graphbrm's settings; `GRAPHBRM_STORE=embedded|falkordb://host:port|neo4j://…|bolt://…`."""

    model_config = SettingsConfigDict(env_prefix="GRAPHBRM_", extra="ignore")

    store: str = "embedded"
    data_dir: Path = Field(default_factory=default_data_dir)
    graph: str = "graphbrm"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    # Password of a falkordb:// server (an embedded store's is in its data dir, store.secret).
    falkordb_password: SecretStr = SecretStr("")
    # Redis appendfsync policy of the embedded store: always | everysec | no.
    fsync: Literal["always", "everysec", "no"] = "everysec"

    # The company's time zone (an IANA name such as Asia/Shanghai): "today", the day an edit,
    # activity or deal belongs to, and month and year ends are taken in it, never in the
    # server's zone. Default UTC, so that days do not change with the machine a server runs on.
    timezone: str = "UTC"

    good: int = 60
    excellent: int = 80
    target_share_excellent: float = 0.5
    target_share_good_or_better: float = 0.9

    import_batch_size: int = 2000
    # Import over HTTP: a table with more rows is refused (413) as soon as the reader passes
    # this many, so a small compressed file cannot keep the API busy with millions of rows.
    # Twice the largest table of the S1 company (124k score records).
    import_max_rows: int = Field(default=250_000, ge=1)
    # Import over HTTP: an .xlsx whose parts declare more bytes than this once uncompressed is
    # refused (413) before it is opened (a 1.6 MB workbook can hold 373 MB of XML). The S1
    # company's workbook expands to 53 MB.
    import_max_uncompressed_bytes: int = Field(default=134_217_728, ge=1024)
    page_size_max: int = 500
    # Read-only Cypher for the data role (POST /query, `graphbrm query`).
    query_timeout_s: float = 10.0
    query_row_limit: int = 10_000
    # How many such queries run at once per API process; the next waits this long, then gets 503.
    query_concurrency: int = Field(default=1, ge=1)
    query_queue_wait_s: float = Field(default=2.0, ge=0)
    # Embedded store: memory one query may use (FalkorDB QUERY_MEM_CAPACITY) before it is stopped.
    store_query_memory_mb: int = Field(default=512, ge=16)

    # Sign-in: a new token's lifetime; tokens are random and stored hashed, so no secret to set.
    token_days: int = Field(default=90, ge=1, le=3650)
    # Request bodies above these sizes are refused with 413 before they are read.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    import_max_bytes: int = Field(default=268_435_456, ge=1024)

    demo: bool = False
    # API worker processes of `graphbrm up`, each with its own store connection and report
    # cache, so one slow request never holds the others; default: one per core, at most 8.
    workers: int = Field(default_factory=lambda: min(os.cpu_count() or 1, 8), ge=1, le=64)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone such as Asia/Shanghai or UTC"
                             ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The company's time zone."""
        return ZoneInfo(self.timezone)


def get_settings() -> Settings:
    """Build the settings now (never at import time)."""
    return Settings()
