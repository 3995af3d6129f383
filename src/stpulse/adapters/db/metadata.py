"""The metadata every ORM row registers in (advanced-alchemy's shared registry)."""

from advanced_alchemy.base import orm_registry

metadata = orm_registry.metadata
