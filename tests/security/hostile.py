"""Hostile text: every way markdown can make a link, an image or HTML, pointing at hosts that must never be asked.

Every address uses the reserved ``.example`` domain, so even a test that failed open could not reach a real host.
"""

from __future__ import annotations

from typing import Any

from cjcore.scenario_io import dump_scenario, load_builtin
from cjcore.schema import Scenario

EVIL = "evil.example"
IMAGE = f"![x](http://{EVIL}/image.png)"
LINK = f"[sign in again here](http://{EVIL}/login)"
AUTOLINK = f"<http://{EVIL}/auto>"
HTML_IMAGE = f"<img src=http://{EVIL}/html.png>"
BARE = f"www.{EVIL} http://{EVIL}/bare mallory@{EVIL}"
REFERENCE = f"[here][r]\n\n[r]: http://{EVIL}/reference"
EXTRAS = "<script>alert(1)</script> $x^2$ :red[red] **bold** # heading\n> quote\n| a | b |\n|---|---|\n`code`"

#: A scenario name (at most 120 characters) with an image, raw HTML, a link and an autolink.
NAME = f"{IMAGE}<img src=//{EVIL}/i>[a](http://{EVIL}/n)<http://{EVIL}/a>"
#: A description and notes with every construct, on several lines.
TEXT = "\n\n".join([IMAGE, LINK, AUTOLINK, HTML_IMAGE, BARE, REFERENCE, EXTRAS])
#: A fake notice of the kind a long link value could draw inside the app's warning box.
FAKE_NOTICE = ("**Your session has expired.** " + LINK + " " + IMAGE + " " + "x" * 1500)
#: An upload's file name.
FILE_NAME = f"![f](http://{EVIL}/file.png)<img src=x>.yaml"

assert len(NAME) <= 120, "a name the schema accepts"


def hostile_scenario() -> Scenario:
    """Greater Manchester with hostile text in every free-text field (name, description, notes, own figures)."""
    data: dict[str, Any] = load_builtin("greater-manchester").model_dump(by_alias=True)
    data.update(name=NAME, description=TEXT, notes=[{"topic": "overall", "text": TEXT},
                                                    {"topic": "youth_justice", "text": IMAGE + " " + LINK}])
    data["baseline"] = {
        "source": (IMAGE + " " + LINK + " " + HTML_IMAGE)[:500],
        "young_people": {"offenders": 850, "reoffenders": 290, "reoffences": 1050},
        "young_adults": {"offenders": 3100, "reoffenders": 820, "reoffences": 2600},
        "adults_25plus": {"offenders": 9400, "reoffenders": 2450, "reoffences": 8900.5},
    }
    return Scenario.model_validate(data)


def hostile_yaml() -> bytes:
    """The hostile scenario as an uploadable file."""
    return dump_scenario(hostile_scenario()).encode("utf-8")
