"""The fast safe loader reads the app's data files exactly as `yaml.safe_load` does, and builds no objects."""

from __future__ import annotations

import pytest
import yaml

from cjcore.areas import REPORT_AREAS_FILE
from cjcore.evidence import EVIDENCE_FILE
from cjcore.safe_yaml import load_data_yaml


@pytest.mark.parametrize("path", [EVIDENCE_FILE, REPORT_AREAS_FILE], ids=lambda p: p.name)
def test_data_files_read_the_same_as_safe_load(path):
    text = path.read_text(encoding="utf-8")
    assert load_data_yaml(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system ['echo hacked']",
    "!!python/name:os.system",
    "x: !!python/tuple [1, 2]",
])
def test_python_tags_are_refused(text):
    with pytest.raises(yaml.constructor.ConstructorError):
        load_data_yaml(text)


def test_dates_numbers_and_nesting_as_safe_load():
    text = "a: 2020-01-02\nb: [1, 2.5, 1e3, 0x10, ~, yes]\nc: {d: 'text: quoted'}\n"
    assert load_data_yaml(text) == yaml.safe_load(text)
