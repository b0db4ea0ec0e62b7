"""Shared test setup: Qt runs offscreen, and no test touches the real user data directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point PENSIONDESK_HOME (data, logs, backups) at a temporary folder for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PENSIONDESK_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def _nobody_logged_in() -> Iterator[None]:
    """Each test starts and ends with nobody logged in: a login in one test is not the operator of the next."""
    from pensiondesk.services.accounts import set_current_actor

    set_current_actor(None)
    yield
    set_current_actor(None)
