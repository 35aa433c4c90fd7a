"""The briefing as one self-contained HTML file: inline CSS, charts as embedded PNGs, no scripts.

All text is escaped, so a scenario name or a note can never inject markup.
"""

from __future__ import annotations

import base64
import html

from explorer.briefing.model import (
    SHARE_LINK_NOTE,
    Block,
    Briefing,
    Bullets,
    Figure,
    Paragraph,
    Subheading,
    Table,
    safe_link,
)

_CSS = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d0d7de; --accent: #0b4f8a; --band: #f3f6f9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 900px; margin: 0 auto; padding: 32px 24px 48px; }
header.cover { border-bottom: 4px solid var(--accent); padding-bottom: 16px; margin-bottom: 8px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 13px; color: var(--accent); margin: 0; }
h1 { font-size: 30px; line-height: 1.2; margin: 6px 0 4px; }
.area { font-size: 19px; margin: 0 0 10px; }
.meta { font-size: 14px; color: var(--muted); margin: 2px 0; }
.link { overflow-wrap: anywhere; }
h2 { font-size: 22px; color: var(--accent); border-bottom: 1px solid var(--rule); padding-bottom: 4px;
  margin: 36px 0 12px; }
h3 { font-size: 17px; margin: 22px 0 8px; }
p { margin: 0 0 12px; }
p.note, figcaption { font-size: 14px; color: var(--muted); }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 16px; font-size: 14.5px; }
table.narrow { width: 70%; }
@media (max-width: 640px) { table.narrow { width: 100%; } }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
thead th { background: var(--band); border-bottom: 2px solid var(--accent); }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 18px 0 24px; }
figure h3 { margin-top: 0; }
figure img { display: block; max-width: 100%; height: auto; }
ul { margin: 0 0 12px; padding-left: 22px; }
li { margin: 4px 0; white-space: pre-wrap; }
footer { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 12px; font-size: 13.5px;
  color: var(--muted); }
footer ul { padding-left: 18px; }
@page { size: A4; margin: 16mm; }
@media print {
  body { font-size: 12pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f'<p{" class=note" if block.note else ""}>{_esc(block.text)}</p>'
    if isinstance(block, Subheading):
        return f"<h3>{_esc(block.text)}</h3>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        numeric = block.numeric or (False,) * len(block.columns)

        def cls(i: int) -> str:
            return ' class="num"' if numeric[i] else ""

        head = "".join(f'<th scope="col"{cls(i)}>{_esc(c)}</th>' for i, c in enumerate(block.columns))
        body = "".join(
            "<tr>" + "".join(f"<td{cls(i)}>{_esc(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in block.rows)
        narrow = ' class="narrow"' if len(block.columns) == 2 else ""
        return f"<table{narrow}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<figcaption>{_esc(block.caption)}</figcaption>" if block.caption else ""
        return (f'<figure><h3>{_esc(block.title)}</h3><img src="data:image/png;base64,{data}" '
                f'width="{block.width}" height="{block.height}" alt="{_esc(block.title)}">{caption}</figure>')
    raise TypeError(f"unknown block {type(block).__name__}")


def briefing_html(b: Briefing) -> str:
    """One self-contained HTML file: inline CSS, charts as embedded PNGs, no scripts, one link (the share link)."""
    shown = _esc(b.share_link_text)
    link_html = f'<a href="{_esc(b.share_link)}">{shown}</a>' if safe_link(b.share_link) else shown
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Briefing: {_esc(b.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        '<header class="cover">',
        '<p class="kicker">Devolution-spectrum explorer · briefing</p>',
        f"<h1>{_esc(b.title)}</h1>",
        f'<p class="area">{_esc(b.area)}</p>',
        f'<p class="meta">Generated {_esc(b.date_text)} · {b.horizon_years}-year projection</p>',
        "</header>",
    ]
    for section in b.sections:
        parts.append(f"<section><h2>{_esc(section.title)}</h2>")
        parts.extend(_html_block(block) for block in section.blocks)
        parts.append("</section>")
    if b.share_link.strip():
        parts.append(f'<section><h2>Reopen this view</h2><p class="link">The share link reopens this exact view in '
                     f"the explorer: {link_html}. {_esc(SHARE_LINK_NOTE)}</p></section>")
    parts.append("<footer><p><strong>Sources</strong></p><ul>")
    parts.extend(f"<li>{_esc(s)}</li>" for s in b.sources)
    parts.append(f"</ul><p>Generated {_esc(b.date_text)} by the devolution-spectrum explorer.</p></footer>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"

