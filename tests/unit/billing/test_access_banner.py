"""The layout's read-only banner (application/billing/limits.access_state) on every signed-in page reads the owner's
subscription in one read (`SubscriptionRepository.of_account`), not the account first (one read fewer a page under
load, bench/load.py)."""

from __future__ import annotations

from typing import Any

import pytest

from stpulse.application.billing.limits import access_state
from stpulse.domain.billing import SubscriptionStatus
from tests import fakes_repos
from tests.unit.foundation.helpers import actor_for


async def test_the_banner_reads_the_owners_subscription_without_reading_the_account(
        deps: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = await actor_for(deps)

    async def no_account(self: Any, account_id: Any) -> None:
        raise AssertionError("the account was read on its own")

    monkeypatch.setattr(fakes_repos.Accounts, "get", no_account)
    state = await access_state(deps, owner.account_id)
    assert state.status == SubscriptionStatus.TRIAL and state.ends_at is not None
