"""Fixtures for the security suite: the AppTest fixtures of tests/app and the browser fixtures of tests/e2e.

Imported here so ``pytest tests/security`` runs on its own; both are the same fixtures the app and browser tests use
(the AppTest workaround of tests/app/conftest.py is autouse here too).
"""

from __future__ import annotations

from tests.app.conftest import _main_script_reruns, make_app, user_dir  # noqa: F401
from tests.e2e.conftest import (  # noqa: F401
    app_server,
    app_server_info,
    base_url,
    browser_context_args,
    browser_type_launch_args,
)
