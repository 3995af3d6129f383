"""What the supply-parameter use cases need from storage and files."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from stpulse.domain.planning.params import SkuParams


class SupplyParamsRepository(Protocol):
    async def all(self, account_id: uuid.UUID) -> list[SkuParams]: ...
    async def replace(self, account_id: uuid.UUID, params: Sequence[SkuParams]) -> None:
        """Upsert these SKUs' parameters (others are kept), in the caller's transaction."""
        ...


class SheetReader(Protocol):
    def read_rows(self, data: bytes) -> list[list[Any]]:
        """The first sheet's cells; raises an UploadRefused error for a file that is not a usable xlsx."""
        ...


class ParamsSheetWriter(Protocol):
    def write_params(self, rows: Sequence[tuple[str, str, SkuParams | None]]) -> bytes:
        """(offer_id, name, parameters or None for the defaults) as an xlsx in the import format."""
        ...
