"""CourseConfig: defaults, the project file, command-line overrides, and bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.config import ConfigError, CourseConfig, GradingLimits, load_config


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_project_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == CourseConfig(root=tmp_path.resolve())
    assert config.book_path == tmp_path.resolve() / "book"
    assert config.gradebook == f"sqlite:///{tmp_path.resolve() / 'course' / 'gradebook.db'}"
    assert config.sandbox is True
    assert config.worker_count >= 1


def test_pyproject_table_overrides_defaults(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.coursekit]\ncourse_id = "ir-305"\nbook_dir = "text"\n'
        "[tool.coursekit.limits]\ncell_timeout = 5\n",
    )
    config = load_config(tmp_path)
    assert config.course_id == "ir-305"
    assert config.book_path == tmp_path.resolve() / "text"
    assert config.limits == GradingLimits(cell_timeout=5)


def test_coursekit_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.coursekit]\ncourse_id = "from-pyproject"\n')
    write(tmp_path / "coursekit.toml", 'course_id = "from-coursekit-toml"\n')
    assert load_config(tmp_path).course_id == "from-coursekit-toml"


def test_command_line_wins_over_the_file_and_none_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "coursekit.toml", 'course_id = "file"\nworkers = 3\n')
    config = load_config(tmp_path, course_id="cli", workers=None, book_out=Path("/x"))
    assert (config.course_id, config.workers, config.book_build_path) == ("cli", 3, Path("/x"))


def test_unknown_setting_names_the_file(tmp_path: Path) -> None:
    write(tmp_path / "coursekit.toml", "colour = 'blue'\n")
    with pytest.raises(
        ConfigError, match=r"coursekit\.toml: unknown coursekit setting\(s\) \['colour'\]"
    ):
        load_config(tmp_path)


def test_bad_limit_is_rejected(tmp_path: Path) -> None:
    write(tmp_path / "coursekit.toml", "[limits]\nmemory_mb = -1\n")
    with pytest.raises(ConfigError, match="must be positive whole numbers"):
        load_config(tmp_path)


def test_invalid_toml_says_which_file(tmp_path: Path) -> None:
    write(tmp_path / "coursekit.toml", "course_id = \n")
    with pytest.raises(ConfigError, match=r"coursekit\.toml: not valid TOML"):
        load_config(tmp_path)


def test_the_root_is_found_from_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path / "coursekit.toml", 'course_id = "found"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    from coursekit.config import find_root

    assert find_root(sub) == tmp_path.resolve()


def test_originality_settings_are_read_and_checked(tmp_path: Path) -> None:
    write(tmp_path / "coursekit.toml", "originality_threshold = 0.5\noriginality_ngram = 6\n")
    config = load_config(tmp_path)
    assert (config.originality_threshold, config.originality_ngram) == (0.5, 6)
    assert load_config(tmp_path, originality_threshold=1).originality_threshold == 1.0
    for bad in (
        "originality_threshold = 0",
        "originality_threshold = 1.5",
        'originality_threshold = "x"',
    ):
        write(tmp_path / "coursekit.toml", bad + "\n")
        with pytest.raises(ConfigError, match="'originality_threshold' must be a number above 0"):
            load_config(tmp_path)
    write(tmp_path / "coursekit.toml", "originality_ngram = 2\n")
    with pytest.raises(ConfigError, match=r"coursekit\.toml: 'originality_ngram' must be a whole"):
        load_config(tmp_path)


def test_feedback_settings_are_read_and_checked(tmp_path: Path) -> None:
    from coursekit.config import FeedbackSettings

    assert load_config(tmp_path).feedback == FeedbackSettings(show_hidden_details=False)
    write(tmp_path / "pyproject.toml", "[tool.coursekit.feedback]\nshow_hidden_details = true\n")
    assert load_config(tmp_path).feedback.show_hidden_details is True
    for bad, message in (
        ('show_hidden_details = "yes"', "must be true or false"),
        ("show_solutions = true", "takes only show_hidden_details"),
    ):
        write(tmp_path / "pyproject.toml", f"[tool.coursekit.feedback]\n{bad}\n")
        with pytest.raises(ConfigError, match=rf"pyproject\.toml: 'feedback.*{message}"):
            load_config(tmp_path)
