"""HTML -> text: no markup, block elements on their own lines, table rows as lines.

Scripts, styles and other non-content elements are dropped. Inline elements
(`<b>`, `<a>`, `<span>`) stay inside their line; block elements (`<p>`,
`<div>`, `<li>`, headings, `<br>`) end one. A table row becomes one line with
cells joined by " | ", the same layout as the .docx loader.

>>> html_to_text("<p>Kế hoạch <b>370</b></p><table><tr><td>1</td><td>Sở Y tế</td></tr></table>")
'Kế hoạch 370\\n1 | Sở Y tế'
"""

from __future__ import annotations

import re

_DROP = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCK = [
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "caption",
    "hr",
    "tr",
    "form",
    "fieldset",
    "center",
]
_MARK = "\u2029"  # paragraph separator: never in the documents, marks block ends until the end


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document, one block per line (see module docstring)."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(_DROP):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for cell in soup.find_all(["td", "th"]):
        # Whitespace inside a cell (wrapped source lines) must not split the row.
        for br in cell.find_all("br"):
            br.replace_with(" ")
        cell.insert_after(" | ")
    for br in soup.find_all("br"):
        br.replace_with(_MARK)
    for tag in soup.find_all(_BLOCK):
        tag.insert_before(_MARK)
        tag.insert_after(_MARK)
    text = soup.get_text()
    lines = []
    for block in text.split(_MARK):
        line = " ".join(block.split())
        line = re.sub(r"(\s*\|\s*)+$", "", line)  # the separator after the last cell
        line = re.sub(r"\s*\|\s*\|\s*", " | ", line)
        if line:
            lines.append(line)
    return "\n".join(lines)
