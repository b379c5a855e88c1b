"""A generated HTML page read the way a browser styles it, enough for tests: its elements and, for one
element, the value of a CSS property that applies to it (inline style, else the matching rule of highest
importance, specificity and order). Top-level rules only: rules inside @media (print, narrow screens) are
skipped, so this is the page on a desktop screen. Properties are not inherited."""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2
from bs4 import BeautifulSoup, Tag


def read_page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _specificity(selector: str) -> tuple[int, int, int]:
    selector = re.sub(r"::?[a-z-]+\(|::[a-z-]+|\)", " ", selector)  # functional pseudo-classes count by their content
    ids = len(re.findall(r"#[\w-]+", selector))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]*\]|:[a-z-]+", selector))
    elements = len(re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", selector))
    return ids, classes, elements


class Styles:
    """The CSS of a page: every top-level rule, split per selector."""

    def __init__(self, page: BeautifulSoup):
        self.rules: list[tuple[str, tuple, int, dict[str, tuple[str, bool]]]] = []
        for style in page.find_all("style"):
            for node in tinycss2.parse_stylesheet(style.get_text(), skip_comments=True, skip_whitespace=True):
                if node.type != "qualified-rule":
                    continue
                declarations = {d.name: (tinycss2.serialize(d.value).strip(), d.important)
                                for d in tinycss2.parse_declaration_list(node.content, skip_comments=True,
                                                                         skip_whitespace=True)
                                if d.type == "declaration"}
                for selector in tinycss2.serialize(node.prelude).split(","):
                    self.rules.append((selector.strip(), _specificity(selector), len(self.rules), declarations))

    def value(self, element: Tag, prop: str) -> str | None:
        """The value of ``prop`` that applies to ``element`` (not inherited), or None."""
        inline = dict(
            (k.strip().lower(), v.strip()) for k, _, v in
            (part.partition(":") for part in element.get("style", "").split(";") if ":" in part)
        )
        if prop in inline:
            return inline[prop]
        best, best_key = None, None
        for selector, specificity, order, declarations in self.rules:
            if prop not in declarations:
                continue
            value, important = declarations[prop]
            key = (important, specificity, order)
            if best_key is not None and key < best_key:
                continue
            try:
                matches = element.css.match(selector)
            except Exception:  # a pseudo-element or a selector soupsieve does not know applies to no element here
                matches = False
            if matches:
                best, best_key = value, key
        return best


def pixels(value: str | None) -> float:
    """'800px' -> 800.0; anything else (None, a percentage, 'auto') -> 0."""
    match = re.fullmatch(r"([\d.]+)px", value or "")
    return float(match.group(1)) if match else 0.0
