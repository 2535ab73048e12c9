"""Sphinx extension for the course book: data-backed roles and offline third-party assets.

Roles (the prose reads dates from the course data, so the two cannot drift apart):

- ``{event-date}`A47``` renders the event's date ("25 March 2014", "March 1971" or
  "2002", by its precision);
- ``{event}`A47``` renders the event's title;
- ``{data-years}`events``` renders the span the event data cover, "1945–2026" (1945 to the
  latest year in the data), for titles that must not go stale.

Assets: the book serves require.js, the ipywidgets HTML manager and the Vega bundles
itself. They are copied at build time from ``node_modules`` (which ``./run`` fills from the
committed package-lock.json, see ``coursekit.book.assets``) into ``_static/vendor`` of the
built site; nothing is fetched from a CDN and nothing third-party is committed.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst.states import Inliner
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

from coursekit.analysis import format_date
from coursekit.book.assets import VENDOR_ASSETS, VendorAsset

__all__ = ["VENDOR_ASSETS", "VendorAsset", "setup"]

LOGGER = logging.getLogger(__name__)


@functools.cache
def _events_by_id() -> Any:
    """The event table indexed by id, built once per process (the roles run hundreds of times)."""
    from coursekit.data import events

    return events().set_index("id")


def _event_row(eid: str) -> Any:
    frame = _events_by_id()
    if eid not in frame.index:
        return None
    return frame.loc[eid]


def _make_role(kind: str) -> Any:
    def role(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Inliner,
        options: dict[str, Any] | None = None,
        content: list[str] | None = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        eid = text.strip()
        row = _event_row(eid)
        if row is None:
            msg = inliner.reporter.error(
                f"{{{name}}}: unknown event id {eid!r}; use an id from coursekit.data.events()",
                line=lineno,
            )
            return [inliner.problematic(rawtext, rawtext, msg)], [msg]
        if kind == "date":
            shown = format_date(row["date"], str(row["date_precision"]))
        else:
            shown = str(row["title"])
        node = nodes.inline(rawtext, shown, classes=[f"ck-event-{kind}"])
        node["ids"] = []
        return [node], []

    return role


def _years_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    from coursekit.book.timeline import timeline_years

    if text.strip() != "events":
        msg = inliner.reporter.error(
            f"{{{name}}}: unknown dataset {text.strip()!r}; only `events` is supported",
            line=lineno,
        )
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    first, last = timeline_years(_events_by_id())
    return [nodes.Text(f"{first}–{last}")], []


_WIDGET_CONFIG = """\
// Tell require.js where the widget manager's modules live, so that the fonts and
// styles it computes from a module's URL come from this site, not the page folder.
(function () {{
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  var dist = here + "html-manager/";
  require.config({{ paths: {{
    "@jupyter-widgets/html-manager": dist + "embed-amd",
    "@jupyter-widgets/base": dist + "base",
    "@jupyter-widgets/controls": dist + "controls",
    "@jupyter-widgets/base7": dist + "base7",
    "@jupyter-widgets/controls7": dist + "controls7"
  }} }});
}})();
"""


def _vendor_source(app: Sphinx) -> Path:
    configured = app.config.coursekit_node_modules
    base = Path(configured) if configured else Path(app.srcdir).parent / "node_modules"
    return base if base.is_absolute() else (Path(app.srcdir) / base).resolve()


def _configure(app: Sphinx, config: Config) -> None:
    # myst-nb would add require.js and the widget manager from two CDNs; we add our own.
    config.nb_ipywidgets_js = {}
    config.html_static_path = [*config.html_static_path, str(Path(__file__).parent / "static")]
    app.add_css_file("coursekit.css")
    app.add_js_file("coursekit.js", priority=800)
    app.add_js_file("coursekit-timeline.js", priority=800)
    if not config.coursekit_vendor:
        return
    for asset in VENDOR_ASSETS:
        if asset.priority is not None:
            app.add_js_file(f"vendor/{asset.target}", priority=asset.priority)
    app.add_js_file("vendor/widgets-config.js", priority=901)
    app.add_js_file(
        "vendor/html-manager/embed-amd.js",
        priority=902,
        **{
            "data-jupyter-widgets-cdn": "_static/vendor/html-manager/",
            "data-jupyter-widgets-cdn-only": "",
        },
    )


def _drop_thebe(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Remove sphinx-thebe's scripts from every page.

    The book has no live kernel, and sphinx-thebe adds its inline ``const THEBE_JS_URL``
    twice per page, which throws a SyntaxError on every page.
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        s
        for s in scripts
        if "sphinx-thebe" not in str(s)
        and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))
    ]


def _fix_citation_roles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give bibliography entries the ``listitem`` role their ``role="list"`` parent needs.

    docutils marks them ``doc-biblioentry``, a deprecated role that axe-core reports as a
    critical aria-required-children violation on the bibliography page.
    """
    body = context.get("body")
    if isinstance(body, str) and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _copy_vendor(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.coursekit_vendor:
        return
    source = _vendor_source(app)
    target = Path(app.outdir) / "_static" / "vendor"
    missing = [a.package_path for a in VENDOR_ASSETS if not (source / a.package_path).exists()]
    if missing:
        raise ExtensionError(
            f"the book's JavaScript assets are missing from {source}: {', '.join(missing)}; "
            "run `./run setup` (or `python3 src/coursekit/book/assets.py`) in the repository root"
        )
    for asset in VENDOR_ASSETS:
        src, dest = source / asset.package_path, target / asset.target
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dest)
    (target / "widgets-config.js").write_text(_WIDGET_CONFIG.format(), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the roles, the asset configuration and the copy step."""
    app.add_config_value("coursekit_node_modules", "", "env", [str])
    app.add_config_value("coursekit_vendor", True, "env", [bool])
    app.add_role("event-date", _make_role("date"))
    app.add_role("event", _make_role("title"))
    app.add_role("data-years", _years_role)
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _fix_citation_roles)
    app.connect("build-finished", _copy_vendor)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
