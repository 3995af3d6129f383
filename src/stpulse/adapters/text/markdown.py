"""Markdown → HTML, then sanitised by an allow-list (ammonia via nh3), so admin pages can't carry scripts."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "code", "pre",
         "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "img"}
_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


class SafeMarkdown:
    def __init__(self) -> None:
        self._md = MarkdownIt("commonmark", {"html": False}).enable("table")

    def render(self, markdown_text: str) -> str:
        html = self._md.render(markdown_text or "")
        return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto"},
                         link_rel="noopener noreferrer nofollow")
