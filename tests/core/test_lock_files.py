"""The lock files are in step with the human-readable ranges: a forgotten `make lock` fails here, not on CI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ \\;]+)")


def ranges(name: str) -> list[Requirement]:
    """The requirements a ranges file names, following `-r` includes."""
    found: list[Requirement] = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += ranges(line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {canonicalize_name(m.group(1)): m.group(2) for m in map(PIN.match, text.splitlines()) if m}


@pytest.mark.parametrize(("ranges_file", "lock_file"), [("requirements.txt", "requirements.lock"),
                                                        ("requirements-dev.txt", "requirements-dev.lock")])
def test_every_range_is_locked_within_it(ranges_file: str, lock_file: str) -> None:
    locked = pins(lock_file)
    for req in ranges(ranges_file):
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is in {ranges_file} but not in {lock_file}: run make lock"
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"{lock_file} pins {req.name}=={locked[name]}, outside {req.specifier} in {ranges_file}: run make lock")


@pytest.mark.parametrize("lock_file", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_a_hash(lock_file: str) -> None:
    lines = (ROOT / lock_file).read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if PIN.match(line)]
    assert len(starts) > 10
    for i in starts:
        assert lines[i].rstrip().endswith("\\") and "--hash=sha256:" in lines[i + 1], lines[i]


def test_runtime_lock_agrees_with_the_dev_lock() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
