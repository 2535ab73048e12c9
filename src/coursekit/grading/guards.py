"""Signs that a submission tampers with the grader, read from the shell's state after each cell.

Used by phase 1 (:mod:`coursekit.grading.capture`): a :class:`Guards` takes a baseline of
the hooks a cell could use to change what later cells (and, under plain nbgrader, the tests)
do, and after every cell reports each new one once, as a reason an instructor can act on
(``suspicious: input transformer installed in cell 6 (q1-answer)``). With two phases none of
them changes a score; the flag says that the submission tried. What it watches:

* IPython's input transformers (cleanup, line, token and ``input_transformers_post``), its
  ``ast_transformers``, methods replaced on the shell,
  event callbacks and custom exception handlers;
* ``sys.settrace``/``sys.setprofile`` (and ``threading``'s), ``sys.excepthook``, and import
  hooks, exit hooks and IPython event callbacks defined in a cell (libraries install their
  own when imported: those are not flagged);
* the ``coursekit`` modules in ``sys.modules`` (replaced, or an attribute of one, or a
  method of one of its classes, rebound: the checkers, the data loaders the hidden tests
  compute the right answers with, the grader itself) and ``builtins``;
* the instructor's given names (rebound, or changed in place).
"""

from __future__ import annotations

import atexit
import builtins
import sys
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["Guards"]

_SMALL = 20_000  # characters of a given's encoding compared for changes in place


def _ids(items: Iterable[Any]) -> list[int]:
    return [id(x) for x in items]


class Guards:
    """Baseline of the grader-relevant state of ``shell``; :meth:`check` reports changes."""

    def __init__(self, shell: Any) -> None:
        """Take the baseline of ``shell``'s hooks, transformers and checkers now."""
        self.shell = shell
        self.reported: set[str] = set()
        self.exit_hooks: list[Any] = []
        register = atexit.register

        def recording(func: Any, *args: Any, **kwargs: Any) -> Any:
            self.exit_hooks.append(func)
            return register(func, *args, **kwargs)

        atexit.register = recording  # type: ignore[assignment]
        self.givens: dict[str, tuple[int, Any]] = {}
        self.base = self._state()

    def _modules(self) -> dict[str, int]:
        return {n: id(m) for n, m in list(sys.modules.items()) if n.split(".")[0] == "coursekit"}

    def _attributes(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] != "coursekit" or module is None:
                continue
            for attr, value in list(vars(module).items()):
                found[f"{name}.{attr}"] = id(value)
                if isinstance(value, type) and value.__module__.startswith("coursekit"):
                    for member, inner in list(vars(value).items()):
                        found[f"{name}.{attr}.{member}"] = id(inner)
        return found

    def _state(self) -> dict[str, Any]:
        shell = self.shell
        return {
            "input transformer": [
                id(shell.input_transformer_manager),
                *_ids(shell.input_transformers_cleanup),
                *_ids(shell.input_transformer_manager.line_transforms),
                *_ids(shell.input_transformer_manager.token_transformers),
                *_ids(shell.input_transformers_post),
            ],
            "shell method replaced": sorted(
                k for k, v in vars(shell).items() if callable(v) and hasattr(type(shell), k)
            ),
            "AST transformer": _ids(shell.ast_transformers),
            "IPython event callback": _ids(
                f for fs in shell.events.callbacks.values() for f in fs if _from_cell(f)
            ),
            "custom exception handler": [id(shell.CustomTB), *_ids(shell.custom_exceptions)],
            "trace or profile hook": [
                id(sys.gettrace()),
                id(sys.getprofile()),
                id(threading.gettrace()),
                id(threading.getprofile()),
            ],
            "import hook": _ids(h for h in [*sys.meta_path, *sys.path_hooks] if _from_cell(h)),
            "exception hook": [id(sys.excepthook)],
            "exit hook": _ids(f for f in self.exit_hooks if _from_cell(f)),
            "builtins": {
                k: id(v) for k, v in vars(builtins).items() if k not in ("_", "__", "___")
            },
            "modules": self._modules(),
            "attributes": self._attributes(),
        }

    def remember_givens(self, names: Iterable[str]) -> None:
        """Keep the values the instructor's cell just bound, to see them rebound or changed."""
        from coursekit.grading.values import encode

        for name in names:
            if name in self.shell.user_ns:
                value = self.shell.user_ns[name]
                self.givens[name] = (id(value), _small(encode(value)))

    def check(self, where: str) -> list[str]:
        """New reasons (``suspicious: ...``) since the baseline, each reported once."""
        now = self._state()
        for key, value in now["attributes"].items():  # a checker module imported since
            self.base["attributes"].setdefault(key, value)
        reasons = []
        for what in (
            "input transformer",
            "shell method replaced",
            "AST transformer",
            "IPython event callback",
            "custom exception handler",
            "trace or profile hook",
            "import hook",
            "exception hook",
            "exit hook",
        ):
            if now[what] != self.base[what]:
                done = "" if what.endswith("replaced") else " installed"
                reasons.append(f"{what}{done} in {where}")
        changed = sorted(k for k, v in now["builtins"].items() if self.base["builtins"].get(k) != v)
        if changed:
            reasons.append(f"builtins patched ({', '.join(changed[:3])}) in {where}")
        swapped = sorted(k for k, v in self.base["modules"].items() if now["modules"].get(k) != v)
        if swapped:
            reasons.append(f"module {swapped[0]} replaced in sys.modules in {where}")
        patched = sorted(
            k for k, v in self.base["attributes"].items() if now["attributes"].get(k, v) != v
        )
        if patched:
            what = "checker" if patched[0].startswith("coursekit.checks") else "course module"
            reasons.append(f"{what} {patched[0]} patched in {where}")
        from coursekit.grading.values import encode

        for name, (ident, small) in self.givens.items():
            value = self.shell.user_ns.get(name, self)
            if id(value) != ident:
                reasons.append(f"the given {name} rebound in {where}")
            elif small is not None and _small(encode(value)) != small:
                reasons.append(f"the given {name} changed in {where}")
        fresh = [r for r in reasons if r.split(" in ")[0] not in self.reported]
        self.reported.update(r.split(" in ")[0] for r in fresh)
        if fresh:
            self.base = now
        return [f"suspicious: {r}" for r in fresh]


def _from_cell(hook: Any) -> bool:
    """Whether ``hook`` (a function, method or object) was defined in a notebook cell.

    Libraries install import hooks, exit hooks and IPython callbacks of their own when a
    student imports them (``altair`` adds an import hook, ``%matplotlib inline`` a callback):
    those are not attempts on the grader. Code from a cell lives in IPython's ``__main__``.
    """
    for candidate in (hook, getattr(hook, "__func__", None), type(hook)):
        if candidate is not None and getattr(candidate, "__module__", None) == "__main__":
            return True
    return False


def _small(data: Any) -> Any:
    import json

    text = json.dumps(data, sort_keys=True, default=str)
    return text if len(text) <= _SMALL else None
