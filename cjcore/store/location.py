"""Where the store lives: ``$CJ_DATABASE_URL``, else a SQLite file in the user's scenario folder.

The scenario folder (``$CJ_SCENARIO_DIR`` or ``~/.cjexplorer/scenarios``) is where saved scenarios lived as YAML
files before the store; the database file ``explorer.db`` sits inside it, so one setting (or one test's temporary
folder) keeps both together, and the old files are found there for their one-time import.
"""

from __future__ import annotations

import os
from pathlib import Path

from cjcore.scenario_io import BUILTIN_DIR

#: Environment variable naming a database (e.g. ``postgresql+psycopg://user@host/db``); SQLite file if unset.
DATABASE_URL_ENV = "CJ_DATABASE_URL"
#: Environment variable naming the user's scenario folder (the SQLite file and any old YAML files).
SCENARIO_DIR_ENV = "CJ_SCENARIO_DIR"
DEFAULT_SCENARIO_DIR = Path("~/.cjexplorer/scenarios")
#: The SQLite database's file name inside the scenario folder.
DB_FILE = "explorer.db"


def scenario_dir() -> Path:
    """The user's scenario folder (``$CJ_SCENARIO_DIR`` or ``~/.cjexplorer/scenarios``); not created here."""
    configured = os.environ.get(SCENARIO_DIR_ENV, "").strip()
    return Path(configured or DEFAULT_SCENARIO_DIR).expanduser().resolve()


def inside_builtins(folder: Path) -> bool:
    """Whether a folder is the built-in scenario folder or inside it (built-ins are read-only)."""
    builtin = BUILTIN_DIR.resolve()
    folder = folder.resolve()
    return folder == builtin or builtin in folder.parents


def configured_url() -> str | None:
    """``$CJ_DATABASE_URL`` when set (and not blank)."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or None
