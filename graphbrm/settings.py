"""All settings in one place, read from GRAPHBRM_* environment variables when asked for."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphbrm.figures import Targets, Thresholds


def default_data_dir() -> Path:
    return platformdirs.user_data_path("graphbrm")


class Settings(BaseSettings):
    """graphbrm's settings; each is read from GRAPHBRM_<NAME> (GRAPHBRM_STORE, GRAPHBRM_GOOD…)
    and listed, with its description, in the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="GRAPHBRM_", extra="ignore")

    store: str = Field(default="embedded", description=(
        "Where the graph lives: embedded (a FalkorDB server graphbrm starts itself), "
        "falkordb://host:port, or neo4j://… / bolt://…"))
    data_dir: Path = Field(default_factory=default_data_dir, description=(
        "Where the embedded store keeps its files"))
    graph: str = Field(default="graphbrm", description="The FalkorDB graph name")
    neo4j_user: str = Field(default="neo4j", description="Neo4j user")
    neo4j_password: SecretStr = Field(default=SecretStr(""), description="Neo4j password")
    neo4j_database: str = Field(default="neo4j", description="Neo4j database")
    falkordb_password: SecretStr = Field(default=SecretStr(""), description=(
        "Password of a falkordb:// server (an embedded store's is in its data dir, "
        "store.secret)"))
    fsync: Literal["always", "everysec", "no"] = Field(default="everysec", description=(
        "How often the embedded store flushes its append-only file to disk (Redis appendfsync)"))

    # Default UTC, so that days do not change with the machine a server runs on.
    timezone: str = Field(default="UTC", description=(
        "The company's time zone (an IANA name such as Asia/Shanghai): today, the day an "
        "edit, activity or deal belongs to, and month and year ends are taken in it, never in "
        "the server's zone"))

    good: int = Field(default=60, description=(
        "A score below this is weak: a person with one opposes us"))
    excellent: int = Field(default=80, description=(
        "All averages at or above this make an excellent relationship"))
    target_share_excellent: float = Field(default=0.5, description=(
        "Yearly target: the share of key accounts with an excellent relationship"))
    target_share_good_or_better: float = Field(default=0.9, description=(
        "Yearly target: the share of key accounts with a good or excellent relationship"))

    import_batch_size: int = Field(default=2000, description=(
        "Rows an import writes per store transaction"))
    # Twice the largest table of the S1 company (124k score records).
    import_max_rows: int = Field(default=250_000, ge=1, description=(
        "Import over HTTP: a table with more rows is refused (413) as soon as the reader "
        "passes this many, so a small compressed file cannot keep the API busy"))
    # A 1.6 MB workbook can hold 373 MB of XML; the S1 company's workbook expands to 53 MB.
    import_max_uncompressed_bytes: int = Field(default=134_217_728, ge=1024, description=(
        "Import over HTTP: an .xlsx whose parts declare more bytes than this once "
        "uncompressed is refused (413) before it is opened"))
    page_size_max: int = Field(default=500, description="The most rows one page of a list holds")
    query_timeout_s: float = Field(default=10.0, description=(
        "Read-only Cypher of the data role (POST /query, graphbrm query): seconds one query "
        "may run"))
    query_row_limit: int = Field(default=10_000, description=(
        "Read-only Cypher: the most rows one query returns"))
    query_concurrency: int = Field(default=1, ge=1, description=(
        "Read-only Cypher: queries running at once per API process"))
    query_queue_wait_s: float = Field(default=2.0, ge=0, description=(
        "Read-only Cypher: seconds the next query waits for a turn before it gets 503"))
    store_query_memory_mb: int = Field(default=512, ge=16, description=(
        "Embedded store: memory one query may use (FalkorDB QUERY_MEM_CAPACITY) before it is "
        "stopped"))

    # Tokens are random and stored hashed, so there is no secret to set.
    token_days: int = Field(default=90, ge=1, le=3650, description=(
        "Lifetime of a new sign-in token, in days"))
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description=(
        "Request bodies above this size are refused with 413 before they are read"))
    import_max_bytes: int = Field(default=268_435_456, ge=1024, description=(
        "The same cap for the import route"))

    # Each worker has its own store connection and report cache, so one slow request never
    # holds the others.
    workers: int = Field(default_factory=lambda: min(os.cpu_count() or 1, 8), ge=1, le=64,
                         description="API worker processes of graphbrm up; default: one per "
                                     "core, at most 8")

    log_format: Literal["text", "json"] = Field(default="text", description=(
        "Log lines of graphbrm up (access and application): text for people, json (one "
        "object per line, with the request id) for log shippers; --log-format overrides it"))

    # Alerts and webhooks (docs/alerts.md).
    alert_rules: list[Literal["blocker", "band_drop", "fading", "cut_off", "review_overdue",
                              "stale_scores"]] = Field(
        default=["blocker", "band_drop", "fading", "cut_off", "review_overdue", "stale_scores"],
        description="The alert rules that are on, as a JSON list (default: all six)")
    alert_fading_points: int = Field(default=15, ge=1, le=100, description=(
        "Relationship fading: a dimension falling by at least this many points raises an alert"))
    alert_fading_days: int = Field(default=30, ge=1, le=365, description=(
        "Relationship fading: compared with the value this many days earlier"))
    alert_review_due_day: int = Field(default=25, ge=1, le=31, description=(
        "Review overdue: a key account without a recorded review this month by this day"))
    alert_stale_days: int = Field(default=90, ge=1, le=3650, description=(
        "Stale scores: a veto holder's or approver's scores not updated for this many days"))
    webhook_allow_private: bool = Field(default=False, description=(
        "Let webhooks post to loopback and private addresses (tests, a receiver on the same "
        "network); refused by default"))
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=60, description=(
        "Seconds one webhook delivery may take before it counts as failed"))
    webhook_max_attempts: int = Field(default=6, ge=1, le=20, description=(
        "Attempts per webhook delivery before it is given up"))
    webhook_retry_s: float = Field(default=10.0, ge=0, description=(
        "Seconds before the first retry of a failed delivery; each later retry waits 4× longer"))
    webhook_key: SecretStr = Field(default=SecretStr(""), description=(
        "Key that encrypts webhook URLs and secrets in the store; empty: a random key kept in "
        "webhook.key in the data dir (set it when API servers run on several machines)"))

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

    @property
    def thresholds(self) -> Thresholds:
        """The score thresholds every figure is banded with."""
        return Thresholds(good=self.good, excellent=self.excellent)

    @property
    def targets(self) -> Targets:
        """The yearly assessment's targets: the shares of excellent and good-or-better accounts."""
        return Targets(share_excellent=self.target_share_excellent,
                       share_good_or_better=self.target_share_good_or_better)


def get_settings() -> Settings:
    """Build the settings now (never at import time)."""
    return Settings()
