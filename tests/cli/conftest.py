"""The command-line tests log in to the demo database as its administrator (``demo``/``demo``).

``pensiondesk demo`` makes an encrypted database with users, so every command on it needs a login; the console
script reads the user and password from the environment, which the tests' ``run_cli`` helpers pass on. Module
scope, so that module-scoped fixtures which run commands are logged in too (autouse fixtures come first in their
scope), and not session scope, which kept ``demo`` as the operator of every later test outside this folder.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pensiondesk.services.accounts import set_current_actor
from pensiondesk.store import cipher


@pytest.fixture(autouse=True, scope="module")
def _demo_login() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PENSIONDESK_USER", "demo")
        patch.setenv("PENSIONDESK_PASSWORD", "demo")
        yield
    set_current_actor(None)
    cipher.forget_keys()
