"""Tables of the store (SQLAlchemy Core); the same definitions run on SQLite and PostgreSQL.

Time buckets are stored as integers (``day`` = days since 1970-01-01 UTC, ``month`` = yyyymm)
so that grouping by day, week or month is plain integer arithmetic on every backend.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere.
Id = BigInteger().with_variant(Integer(), "sqlite")

brands = Table(
    "brands",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("parent_id", ForeignKey("locations.id")),
    Column("kind", String(20), nullable=False),
    UniqueConstraint("brand_id", "name"),
)

# Closure table: every (ancestor, location) pair including the location itself at depth 0,
# so roll-ups to any level are one join, whatever the depth of the hierarchy.
location_paths = Table(
    "location_paths",
    metadata,
    Column("ancestor_id", ForeignKey("locations.id"), primary_key=True),
    Column("location_id", ForeignKey("locations.id"), primary_key=True),
    Column("depth", Integer, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("run_id", ForeignKey("import_runs.id")),
    Column("source", String(40), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("author", String(200)),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("day", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("location_id", ForeignKey("locations.id")),
    Column("touchpoint", String(60)),
    Column("constituency", String(10), nullable=False),
    Column("rating", Float),
    Column("rating_scale", String(10), nullable=False),
    Column("rating_category", String(9)),
    Column("reach", BigInteger),
    Column("url", String(2000)),
    Column("extra", JSON),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("brand_id", "source", "external_id"),
)

analyses = Table(
    "analyses",
    metadata,
    Column("feedback_id", ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(60), primary_key=True),
    Column("sentiment", String(8), nullable=False),
    Column("p_negative", Float, nullable=False),
    Column("p_neutral", Float, nullable=False),
    Column("p_positive", Float, nullable=False),
    Column("nps_category", String(9), nullable=False),
    Column("p_detractor", Float, nullable=False),
    Column("p_passive", Float, nullable=False),
    Column("p_promoter", Float, nullable=False),
    Column("language", String(12)),
    Column("extra", JSON),
    # False for text the model cannot read (unsupported language): out of Social NPS.
    Column("scored", Boolean, nullable=False, server_default=true()),
    sqlite_with_rowid=False,
)

# Additive counts per day and segment, kept in step by the writer in the same transaction
# as the items: reports read thousands of rollup rows instead of millions of items.
# Absent dimensions are stored as 0 / '' because primary key columns cannot be NULL.
daily_counts = Table(
    "daily_counts",
    metadata,
    Column("brand_id", ForeignKey("brands.id"), primary_key=True),
    Column("location_id", Integer, primary_key=True),
    Column("day", Integer, primary_key=True),
    Column("source", String(40), primary_key=True),
    Column("touchpoint", String(60), primary_key=True),
    Column("constituency", String(10), primary_key=True),
    Column("month", Integer, nullable=False),
    *(
        Column(name, Integer, nullable=False)
        for name in (
            "items",
            "promoters",
            "passives",
            "detractors",
            "employee_promoters",
            "employee_passives",
            "employee_detractors",
            "csat_satisfied",
            "csat_total",
        )
    ),
    sqlite_with_rowid=False,
)

# Social NPS votes: one per author, location, period and model, the author's latest item.
social_votes = Table(
    "social_votes",
    metadata,
    Column("brand_id", ForeignKey("brands.id"), primary_key=True),
    Column("model", String(60), primary_key=True),
    Column("period", String(5), primary_key=True),
    Column("location_id", Integer, primary_key=True),
    Column("bucket", Integer, primary_key=True),
    # 62-bit hash of the author; minus the item id when the item has no author.
    Column("voter", BigInteger, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("feedback_id", ForeignKey("feedback.id", ondelete="CASCADE"), nullable=False),
    Column("category", String(9), nullable=False),
    sqlite_with_rowid=False,  # the key is the row: one B-tree write per vote, not two
)

# A brand's own calibration of a model: prevalence correction (and its cross-validated
# error) learnt from the brand's surveys that carry both a comment and a 0-10 score.
calibrations = Table(
    "calibrations",
    metadata,
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(60), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("items", Integer, nullable=False),
    Column("params", JSON, nullable=False),
    Column("metrics", JSON, nullable=False),
)

# Topic mentions per day and segment, kept in step by the writer like daily_counts: the
# drivers, topic trends and anomaly detection read these instead of parsing every item's
# aspects. topic '' counts every analysed item (its sentiment, not a topic's). A category is
# the item's rating when it has one, else the model's inferred category (scored items only).
TOPIC_COUNT_COLUMNS = (
    "items", "promoters", "passives", "detractors", "negative", "positive",
    "neg_promoters", "neg_passives", "neg_detractors",
    "pos_promoters", "pos_passives", "pos_detractors",
)  # fmt: skip
topic_counts = Table(
    "topic_counts",
    metadata,
    Column("brand_id", ForeignKey("brands.id"), primary_key=True),
    Column("model", String(60), primary_key=True),
    Column("topic", String(40), primary_key=True),
    Column("location_id", Integer, primary_key=True),
    Column("day", Integer, primary_key=True),
    Column("source", String(40), primary_key=True),
    Column("touchpoint", String(60), primary_key=True),
    Column("constituency", String(10), primary_key=True),
    Column("language", String(12), primary_key=True),
    Column("month", Integer, nullable=False),
    *(Column(name, Integer, nullable=False) for name in TOPIC_COUNT_COLUMNS),
    sqlite_with_rowid=False,
)

# Items tagged at analysis with an intent (purchase intent, churn risk): a few percent of
# items, so sales-lead and churn lists read this index instead of every item's JSON.
intent_tags = Table(
    "intent_tags",
    metadata,
    Column("brand_id", ForeignKey("brands.id"), primary_key=True),
    Column("model", String(60), primary_key=True),
    Column("intent", String(20), primary_key=True),
    Column("day", Integer, primary_key=True),
    Column("feedback_id", ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,
)

# Alert rules a brand configures; anomaly detection needs none and always runs.
alert_rules = Table(
    "alert_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("params", JSON, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("brand_id", "name"),
    # Ids are part of alert keys: SQLite must not hand a removed rule's id to a new one.
    sqlite_autoincrement=True,
)

# Raised alerts; dedupe_key makes re-evaluating the same window a no-op.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("rule_id", ForeignKey("alert_rules.id", ondelete="SET NULL")),
    Column("dedupe_key", String(200), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("title", String(300), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("location_id", ForeignKey("locations.id")),
    Column("topic", String(40)),
    Column("first_day", Integer, nullable=False),
    Column("last_day", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("brand_id", "dedupe_key"),
)

alert_items = Table(
    "alert_items",
    metadata,
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("feedback_id", ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
)

# Where notifications go: a webhook or an e-mail address list, per brand.
channels = Table(
    "channels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("config", JSON, nullable=False),
    Column("min_severity", String(8), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("brand_id", "name"),
)

# The outbox: one row per message and channel. Ingest and alerting only insert here;
# delivery (with retries and backoff) happens apart, so a dead receiver blocks nothing.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("dedupe_key", String(200), nullable=False),
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE")),
    Column("payload", JSON, nullable=False),
    Column("status", String(8), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("channel_id", "dedupe_key"),
    Index(None, "status", "next_attempt_at"),
)

Index("ix_feedback_brand_id_day", feedback.c.brand_id, feedback.c.day)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("file", String(1000), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("ingested", Integer, nullable=False, default=0),
    Column("duplicates", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
    Column("status", String(12), nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("run_id", ForeignKey("import_runs.id")),
    Column("file", String(1000), nullable=False),
    Column("line", Integer, nullable=False),
    Column("field", String(200), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("raw", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("brand_id", "file", "line", "field"),
)

# --- accounts, access and privacy (issue 6) ---

# People who sign in; what they may do is per brand, in memberships.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("password_hash", String(200)),  # argon2id; NULL: signs in with tokens only
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,
)

# A user's role in one brand (the tenant); location managers and agents are pinned to a
# location and see it and everything below it.
memberships = Table(
    "memberships",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("location_id", ForeignKey("locations.id", ondelete="CASCADE")),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# API tokens: only a SHA-256 of the secret is kept (the secret is 256 random bits, so a
# slow hash adds nothing); scopes narrow the owner's role, never widen it.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
    sqlite_autoincrement=True,
)

# Who did what, when: append-only.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("brand_id", Integer),  # no foreign key: the trail outlives what it describes
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(300)),
    Column("detail", JSON),
    Column("ip", String(64)),
    Index(None, "brand_id", "at"),
)

# Per-source settings of a brand: the shared secret of its webhook, how long its items are
# kept, and whether personal data is redacted from its text before it is stored.
sources = Table(
    "sources",
    metadata,
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("webhook_secret", String(200)),
    Column("retention_days", Integer),
    Column("redact", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

Index("ix_feedback_brand_id_author", feedback.c.brand_id, feedback.c.author)
# Deleting an item (erasure, retention) finds the rows that point at it through these, not
# by reading whole tables; PostgreSQL does not index a foreign key by itself.
Index("ix_social_votes_feedback_id", social_votes.c.feedback_id)
Index("ix_intent_tags_feedback_id", intent_tags.c.feedback_id)
Index("ix_alert_items_feedback_id", alert_items.c.feedback_id)
# A segment's votes counted by category from the index alone (the metrics query).
Index(
    "ix_social_votes_segment_category",
    *(social_votes.c[name] for name in ("brand_id", "model", "period", "location_id", "bucket")),
    social_votes.c.category,
)
