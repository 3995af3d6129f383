"""CHECK constraints the rows obey, declared beside the columns (the domain checks the same rules first; the
database is the last line, as in double-entry ledgers). Names follow the metadata's naming convention
(`ck_<table>_<name>`); migration 0008 creates the same ones."""

from __future__ import annotations

from sqlalchemy import CheckConstraint


def not_negative(*columns: str, name: str = "") -> CheckConstraint:
    """Counts, quantities and amounts that are never below zero (signed money amounts get no such check)."""
    return CheckConstraint(" AND ".join(f"{c} >= 0" for c in columns), name=name or f"{columns[0]}_not_negative")


def percent(column: str, *, nullable: bool = False) -> CheckConstraint:
    rule = f"{column} BETWEEN 0 AND 100"
    return CheckConstraint(f"{column} IS NULL OR {rule}" if nullable else rule, name=f"{column}_within_0_100")


def ordered(first: str, last: str) -> CheckConstraint:
    """A period's bounds: the first day is not after the last."""
    return CheckConstraint(f"{first} <= {last}", name=f"{first}_before_{last}")


def month_start(column: str) -> CheckConstraint:
    """A month is stored as its first day (PostgreSQL only: SQLite has no EXTRACT)."""
    return CheckConstraint(f"EXTRACT(DAY FROM {column}) = 1", name=f"{column}_first_day").ddl_if(dialect="postgresql")
