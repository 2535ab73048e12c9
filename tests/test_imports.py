"""Importing coursekit leaves the process alone; only its own processes take the speed-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from coursekit._speedups import KERNEL_PATH, kernels_skip_iri_grammar

# Runs in a fresh interpreter: what the imports add to sys.modules, and whether any entry that
# was there before changed or any new entry is a placeholder (None) rather than a module.
PROBE = textwrap.dedent(
    """
    import json, sys
    before = dict(sys.modules)
    {imports}
    added = {{n: m for n, m in sys.modules.items() if n not in before}}
    print(json.dumps({{
        "changed": sorted(n for n, m in before.items() if sys.modules.get(n) is not m),
        "placeholders": sorted(n for n, m in added.items() if m is None),
        "coursekit": sorted(n for n in added if n.split(".")[0] == "coursekit"),
        "rfc3987_syntax": repr(sys.modules.get("rfc3987_syntax", "absent"))[:30],
    }}))
    """
)


def probe(imports: str, env: dict[str, str] | None = None) -> dict[str, object]:
    code = PROBE.format(imports=imports)
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**clean, **(env or {})},
    )
    return dict(json.loads(result.stdout))


def test_import_coursekit_changes_nothing_but_adds_its_own_modules() -> None:
    found = probe("import coursekit")
    assert found["changed"] == []
    assert found["placeholders"] == []
    assert found["coursekit"] == ["coursekit"]
    assert found["rfc3987_syntax"] == "'absent'"


def test_the_student_imports_leave_jsonschema_as_it_is() -> None:
    """A student's kernel: data, checks and a chart; jsonschema finds rfc3987_syntax as usual."""
    found = probe("from coursekit import checks, data\nimport coursekit.charts, jsonschema")
    assert found["changed"] == []
    assert found["placeholders"] == []
    assert str(found["rfc3987_syntax"]).startswith("<module 'rfc3987_syntax'")


def test_the_command_line_entry_point_skips_the_grammar() -> None:
    found = probe(
        "from coursekit._speedups import skip_iri_grammar\nskip_iri_grammar()\nimport jsonschema"
    )
    assert found["placeholders"] == ["rfc3987_syntax"]
    assert found["rfc3987_syntax"] == "None"


def test_kernels_started_by_the_book_build_skip_the_grammar_and_jsonschema_still_works() -> None:
    check = (
        "import jsonschema\n"
        "jsonschema.validate({'a': 1}, {'properties': {'a': {'type': 'integer'}}},"
        " format_checker=jsonschema.FormatChecker())"
    )
    before = os.environ.get("PYTHONPATH")
    with kernels_skip_iri_grammar():
        found = probe(check, env={"PYTHONPATH": os.environ["PYTHONPATH"]})
        assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(KERNEL_PATH)
    assert os.environ.get("PYTHONPATH") == before
    assert found["rfc3987_syntax"] == "'absent'"  # it refused to import
    assert "rfc3987_syntax" not in found["placeholders"]
