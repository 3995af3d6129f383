"""Declarative base for plain rows with natural keys, sharing advanced-alchemy's registry and metadata."""

from __future__ import annotations

from advanced_alchemy.base import orm_registry
from sqlalchemy.orm import DeclarativeBase


class NaturalKeyBase(DeclarativeBase):
    registry = orm_registry
    metadata = orm_registry.metadata
