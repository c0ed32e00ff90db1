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
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
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
