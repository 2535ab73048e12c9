"""Markdown to safe, offline HTML for grading sheets: raw HTML escaped, no outside requests.

Answers are written by students: their raw HTML is escaped, links become plain text with the
address beside it (a grader sees where it pointed without following it), and images become
their alt text, so a sheet opened from ``file://`` never fetches anything.
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["render_inline", "render_markdown"]

_RENDER: Any = None


def _renderer() -> Any:
    import mistune

    class _Offline(mistune.HTMLRenderer):
        def link(self, text: str, url: str, title: str | None = None) -> str:
            return f"{text} <span class='url'>[{html.escape(url)}]</span>"

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return f"<span class='url'>[image: {text or 'no description'}]</span>"

    return mistune.create_markdown(
        renderer=_Offline(escape=True), plugins=["table", "strikethrough"]
    )


def render_markdown(text: str) -> str:
    """``text`` (markdown) as HTML with raw HTML escaped, links inert and images as text."""
    global _RENDER
    if _RENDER is None:
        _RENDER = _renderer()
    return str(_RENDER(text))


def render_inline(text: str) -> str:
    """Markdown of one line (a rubric criterion) as HTML, without the paragraph around it."""
    rendered = render_markdown(text).strip()
    return rendered.removeprefix("<p>").removesuffix("</p>")
