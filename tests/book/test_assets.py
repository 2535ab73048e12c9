"""The JavaScript fetcher: only the used files, checked against the lockfile, tampering refused."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from coursekit.book.assets import (
    AssetError,
    fetch_assets,
    locked_packages,
    main,
    missing_packages,
)
from tests.conftest import REPO

# What each package's fake tarball holds besides package.json: the used path, and one
# file the book does not use (it must not be unpacked).
USED = {
    "vega": "build/vega.min.js",
    "vega-lite": "build/vega-lite.min.js",
    "vega-embed": "build/vega-embed.min.js",
    "requirejs": "require.js",
    "@jupyter-widgets/html-manager": "dist/embed-amd.js",
    "axe-core": "axe.min.js",
}


def _tarball(name: str, version: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:

        def add(path: str, text: str) -> None:
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

        add("package/package.json", json.dumps({"name": name, "version": version}))
        add(f"package/{USED[name]}", f"/* {name} */")
        add("package/src/unused.ts", "not served")
        add("package/../escape.js", "outside the package")
        link = tarfile.TarInfo(f"package/{USED[name]}.link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    return buffer.getvalue()


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def registry(tmp_path: Path) -> dict[str, bytes]:
    """A repository root with a lockfile for fake tarballs; returns the tarballs by URL."""
    tarballs: dict[str, bytes] = {}
    packages: dict[str, object] = {"": {"name": "fixture"}}
    for name in USED:
        data = _tarball(name, "1.2.3")
        url = f"https://registry.example/{name}/-/{name.split('/')[-1]}-1.2.3.tgz"
        tarballs[url] = data
        packages[f"node_modules/{name}"] = {"version": "1.2.3", "integrity": _sri(data)}
    lock = {"lockfileVersion": 3, "packages": packages}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    return tarballs


def _fetch(root: Path, tarballs: dict[str, bytes], calls: list[str]) -> list[str]:
    def download(url: str) -> bytes:
        calls.append(url)
        return tarballs[url]

    done = fetch_assets(
        root=root, registry="https://registry.example", download=download, progress=lambda _: None
    )
    return [p.name for p in done]


def test_fetches_only_used_files_then_nothing_on_a_second_run(
    tmp_path: Path, registry: dict[str, bytes]
) -> None:
    calls: list[str] = []
    assert sorted(_fetch(tmp_path, registry, calls)) == sorted(USED)
    modules = tmp_path / "node_modules"
    written = sorted(p.relative_to(modules).as_posix() for p in modules.rglob("*") if p.is_file())
    expected = sorted([f"{n}/{u}" for n, u in USED.items()] + [f"{n}/package.json" for n in USED])
    assert written == expected  # no unused file, no link, nothing outside the package
    assert not (tmp_path / "escape.js").exists()
    assert (modules / "vega" / "build" / "vega.min.js").read_text() == "/* vega */"

    calls.clear()
    assert _fetch(tmp_path, registry, calls) == []
    assert calls == []


def test_a_tampered_tarball_is_refused_and_nothing_of_it_is_written(
    tmp_path: Path, registry: dict[str, bytes]
) -> None:
    url = next(u for u in registry if "/vega-lite/" in u)
    registry[url] = _tarball("vega-lite", "1.2.3").replace(b"\x00", b"\x01", 1)
    with pytest.raises(AssetError, match=r"vega-lite 1\.2\.3 .* does not match its sha512 hash"):
        _fetch(tmp_path, registry, [])
    modules = tmp_path / "node_modules"
    assert not (modules / "vega-lite").exists()
    # the other packages are still installed, and only vega-lite is left to fetch
    assert (modules / "vega" / "build" / "vega.min.js").is_file()
    missing = missing_packages(root=tmp_path, registry="https://registry.example")
    assert [p.name for p in missing] == ["vega-lite"]


def test_a_wrong_version_in_node_modules_is_replaced(
    tmp_path: Path, registry: dict[str, bytes]
) -> None:
    _fetch(tmp_path, registry, [])
    meta = tmp_path / "node_modules" / "requirejs" / "package.json"
    meta.write_text(json.dumps({"name": "requirejs", "version": "0.0.1"}), encoding="utf-8")
    calls: list[str] = []
    assert _fetch(tmp_path, registry, calls) == ["requirejs"]
    assert json.loads(meta.read_text())["version"] == "1.2.3"


def test_a_lockfile_without_a_used_package_says_what_to_do(
    tmp_path: Path, registry: dict[str, bytes]
) -> None:
    lockfile = tmp_path / "package-lock.json"
    lock = json.loads(lockfile.read_text())
    del lock["packages"]["node_modules/requirejs"]
    lockfile.write_text(json.dumps(lock))
    with pytest.raises(AssetError, match=r"package-lock\.json has no version and integrity for"):
        locked_packages(lockfile)


def test_check_mode_reports_what_is_missing_and_fetches_nothing(
    tmp_path: Path, registry: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_path), "--check"]) == 1
    assert "would fetch requirejs 1.2.3" in capsys.readouterr().out
    assert not (tmp_path / "node_modules").exists()


def test_the_repository_lockfile_pins_every_used_package_with_a_registry_url() -> None:
    packages = {p.name: p for p in locked_packages(REPO / "package-lock.json")}
    assert sorted(packages) == sorted(USED)
    html_manager = packages["@jupyter-widgets/html-manager"]
    assert html_manager.url == (
        "https://registry.npmjs.org/@jupyter-widgets/html-manager/-/html-manager-"
        f"{html_manager.version}.tgz"
    )
    assert all(p.integrity.startswith("sha512-") for p in packages.values())
