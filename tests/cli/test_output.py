"""The long commands' terminal: a line per stage, the tools' output in a log file, -v streams."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coursekit.progress import Lines

# A command in miniature: a stage whose tools print from this process, from a child process
# and through logging, then (when asked) a stage that fails.
SCRIPT = textwrap.dedent(
    """
    import logging, subprocess, sys
    from pathlib import Path
    from coursekit.cli._output import Terminal

    logging.basicConfig()
    log, verbose, fail = Path(sys.argv[1]), sys.argv[2] == "v", sys.argv[3] == "fail"
    with Terminal(log=log, verbose=verbose) as terminal:
        with terminal.stage("counting", total=2) as stage:
            print("tool: from this process")
            subprocess.run(["echo", "tool: from a child process"], check=True)
            logging.getLogger("nbgrader").warning("tool: through logging")
            stage.advance(2)
        terminal.notice("look at student03")
        if fail:
            with terminal.stage("failing"):
                print("ERROR: the page two.md is broken")
                raise SystemExit(1)
    print("summary on stdout")
    """
)


def run_script(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "command.py"
    script.write_text(SCRIPT)
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path / "tool.log"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_quiet_by_default_the_tools_output_goes_to_the_log(tmp_path: Path) -> None:
    result = run_script(tmp_path, "quiet", "ok")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "summary on stdout\n"
    lines = result.stderr.splitlines()
    assert [line.rsplit(" (", 1)[0] for line in lines] == ["✓ counting 2/2", "look at student03"]
    log = (tmp_path / "tool.log").read_text()
    for text in ("from this process", "from a child process", "through logging"):
        assert f"tool: {text}" in log


def test_verbose_streams_the_tools_output_and_writes_no_log(tmp_path: Path) -> None:
    result = run_script(tmp_path, "v", "ok")
    assert result.returncode == 0, result.stderr
    both = result.stdout + result.stderr
    for text in ("from this process", "from a child process", "through logging"):
        assert f"tool: {text}" in both
    assert "… counting" in result.stderr
    assert "✓ counting 2/2" in result.stderr
    assert not (tmp_path / "tool.log").exists()


def test_a_failing_stage_is_marked_and_quotes_the_log(tmp_path: Path) -> None:
    result = run_script(tmp_path, "quiet", "fail")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "✗ failing" in lines
    assert "  ERROR: the page two.md is broken" in lines
    assert lines[-1] == f"The tools' full output is in {tmp_path / 'tool.log'}"
    assert "summary on stdout" not in result.stdout


def test_lines_reports_each_stage_and_notice() -> None:
    said: list[str] = []
    progress = Lines(said.append)
    with progress.stage("grading a1", total=3) as stage:
        stage.advance()
    progress.notice("look at student03")
    assert said == ["grading a1 …", "look at student03"]


@pytest.mark.parametrize("verbose", [False, True])
def test_in_process_output_is_captured_too(
    tmp_path: Path, verbose: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    from coursekit.cli._output import Terminal

    with Terminal(log=tmp_path / "t.log", verbose=verbose) as terminal, terminal.stage("one"):
        print("tool output")
    out = capsys.readouterr()
    assert ("tool output" in out.out) is verbose
    assert "✓ one" in out.err
