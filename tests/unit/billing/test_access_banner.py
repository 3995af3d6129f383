"""The layout's read-only banner (application/billing/limits.access_state) on every signed-in page: the session
already read the actor's account, so given its owner the banner reads the subscription alone (one read fewer a
page under load, bench/load.py) and says the same as when it looks the owner up."""

from __future__ import annotations

from typing import Any

import pytest

from stpulse.application.billing.limits import access_state
from stpulse.domain.billing import SubscriptionStatus
from tests import fakes_repos
from tests.unit.foundation.helpers import actor_for


async def test_the_banner_given_the_owner_reads_no_account(deps: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = await actor_for(deps)
    looked_up = await access_state(deps, owner.account_id)
    assert looked_up.status == SubscriptionStatus.TRIAL and looked_up.ends_at is not None

    async def no_account(self: Any, account_id: Any) -> None:
        raise AssertionError("the account was read again")

    monkeypatch.setattr(fakes_repos.Accounts, "get", no_account)
    assert await access_state(deps, owner.account_id, owner.account.owner_id) == looked_up
