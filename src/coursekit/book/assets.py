"""The book's third-party JavaScript, fetched from the npm registry as package-lock.json pins it.

The built book serves a handful of files (require.js, the ipywidgets HTML manager, the Vega
bundles) and the accessibility tests read axe-core. This module downloads only those
packages' tarballs, checks each against the ``integrity`` hash in ``package-lock.json`` before
anything is written, and unpacks only the files used into ``node_modules/<package>/``, the
layout ``npm ci`` would leave, so the book build reads them from the same place either way.
No Node is needed. ``package-lock.json`` stays the one source of versions and hashes.

It uses the standard library only, so ``./run`` can call it with the system's Python before
the course's environment exists: ``python3 src/coursekit/book/assets.py [--check|--dry-run]``
(or ``python -m coursekit.book.assets``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import io
import json
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

if __name__ == "__main__" and not __package__:
    # Run as a script by ./run, before or without the package: the errors module is plain Python.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from coursekit.errors import CoursekitError

__all__ = [
    "REGISTRY",
    "TEST_ASSETS",
    "VENDOR_ASSETS",
    "AssetError",
    "LockedPackage",
    "VendorAsset",
    "check_integrity",
    "fetch_assets",
    "locked_packages",
    "main",
    "missing_packages",
]

REGISTRY = "https://registry.npmjs.org"
"""Where a package's tarball is, when the lockfile records no ``resolved`` URL."""

Download = Callable[[str], bytes]
Progress = Callable[[str], None]


class AssetError(CoursekitError, RuntimeError):
    """The JavaScript assets could not be installed; the message names the file and the fix."""


@dataclass(frozen=True)
class VendorAsset:
    """One third-party file (or folder) the built book serves from ``_static/vendor``."""

    package_path: str
    """Path inside ``node_modules``."""
    target: str
    """Path under ``_static/vendor`` in the built site."""
    priority: int | None = None
    """Script load order (lower first); ``None`` for files that are not scripts."""


# UMD bundles (Vega, and the theme's clipboard.js at the default priority 500) must load
# before require.js, or they register as anonymous AMD modules, never define their
# globals and raise "Mismatched anonymous define()"; so require.js and the widget manager
# come last.
VENDOR_ASSETS: tuple[VendorAsset, ...] = (
    VendorAsset("vega/build/vega.min.js", "vega/vega.min.js", 200),
    VendorAsset("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js", 201),
    VendorAsset("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js", 202),
    VendorAsset("requirejs/require.js", "require.js", 900),
    VendorAsset("@jupyter-widgets/html-manager/dist", "html-manager", None),
)

TEST_ASSETS: tuple[str, ...] = ("axe-core/axe.min.js",)
"""Paths inside ``node_modules`` that the tests read (axe-core for the accessibility checks)."""

# Strongest first; npm writes sha512, older lockfiles may hold sha1.
_SRI_ALGORITHMS = ("sha512", "sha384", "sha256", "sha1")


@dataclass(frozen=True)
class LockedPackage:
    """One npm package as package-lock.json pins it, and the files of it that we use."""

    name: str
    version: str
    integrity: str
    url: str
    paths: tuple[str, ...]
    """Files or folders inside the package that are unpacked (``package.json`` always is)."""


def _split(package_path: str) -> tuple[str, str]:
    """``@scope/name/a/b`` -> (``@scope/name``, ``a/b``); ``name/a`` -> (``name``, ``a``)."""
    parts = package_path.split("/")
    cut = 2 if parts[0].startswith("@") else 1
    return "/".join(parts[:cut]), "/".join(parts[cut:])


def _wanted() -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for path in [a.package_path for a in VENDOR_ASSETS] + list(TEST_ASSETS):
        name, inner = _split(path)
        wanted.setdefault(name, []).append(inner)
    return wanted


def locked_packages(lockfile: Path, *, registry: str = REGISTRY) -> list[LockedPackage]:
    """The packages the book and tests use, with version, hash and tarball URL from the lock."""
    try:
        lock = json.loads(lockfile.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssetError(f"{lockfile} is missing; run from the repository root") from None
    except (OSError, ValueError) as exc:
        raise AssetError(f"{lockfile} cannot be read as JSON ({exc}); restore it from git") from exc
    entries = lock.get("packages") if isinstance(lock, dict) else None
    if not isinstance(entries, dict):
        raise AssetError(f"{lockfile} has no 'packages' table; it must be an npm v2/v3 lockfile")
    found = []
    for name, paths in _wanted().items():
        entry = entries.get(f"node_modules/{name}")
        if not isinstance(entry, dict) or not entry.get("version") or not entry.get("integrity"):
            raise AssetError(
                f"{lockfile} has no version and integrity for {name}; add it to package.json "
                "and run `npm install --package-lock-only --ignore-scripts`"
            )
        version = str(entry["version"])
        tarball = f"{name.split('/')[-1]}-{version}.tgz"
        url = str(entry.get("resolved") or f"{registry.rstrip('/')}/{name}/-/{tarball}")
        found.append(LockedPackage(name, version, str(entry["integrity"]), url, tuple(paths)))
    return found


def check_integrity(data: bytes, integrity: str, *, what: str) -> None:
    """Raise unless ``data`` matches the Subresource Integrity string (``sha512-<base64>``)."""
    hashes: dict[str, list[str]] = {}
    for item in integrity.split():
        algorithm, _, digest = item.partition("-")
        hashes.setdefault(algorithm, []).append(digest.split("?")[0])
    for algorithm in _SRI_ALGORITHMS:
        if algorithm in hashes:
            actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
            if any(hmac.compare_digest(actual, expected) for expected in hashes[algorithm]):
                return
            raise AssetError(
                f"{what} does not match its {algorithm} hash in package-lock.json; nothing was "
                "written. Retry; if it fails again, do not work around it: the download or the "
                "lockfile has been changed"
            )
    raise AssetError(f"{what}: package-lock.json gives no usable hash ({integrity!r})")


def _installed_version(node_modules: Path, name: str) -> str | None:
    try:
        meta = json.loads((node_modules / name / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = meta.get("version") if isinstance(meta, dict) else None
    return str(version) if version else None


def missing_packages(*, root: Path, registry: str = REGISTRY) -> list[LockedPackage]:
    """The packages whose locked version or used files are not in ``root/node_modules``."""
    node_modules = root / "node_modules"
    return [
        package
        for package in locked_packages(root / "package-lock.json", registry=registry)
        if _installed_version(node_modules, package.name) != package.version
        or not all((node_modules / package.name / p).exists() for p in package.paths)
    ]


def _download(url: str) -> bytes:
    if not url.startswith("https://"):
        raise AssetError(f"{url}: only https registry addresses are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "coursekit-assets"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (https only)
        data: bytes = response.read()
    return data


def _member_path(name: str) -> PurePosixPath | None:
    """The path inside the package (npm tarballs wrap it in one folder, usually ``package/``)."""
    parts = PurePosixPath(name).parts[1:]
    if not parts or any(p in ("", ".", "..") for p in parts) or name.startswith("/"):
        return None
    return PurePosixPath(*parts)


def _unpack(data: bytes, package: LockedPackage, target: Path) -> int:
    """Write the package's used regular files under ``target``; return how many."""
    keep = (*package.paths, "package.json")
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive:
            inner = _member_path(member.name)
            if inner is None or not member.isfile():
                continue  # links, devices and odd paths are never written
            text = inner.as_posix()
            if not any(text == k or text.startswith(k + "/") for k in keep):
                continue
            source = archive.extractfile(member)
            if source is None:
                continue
            dest = target.joinpath(*inner.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with source, dest.open("wb") as out:
                shutil.copyfileobj(source, out)
            count += 1
    missing = [p for p in package.paths if not (target / p).exists()]
    if missing:
        raise AssetError(
            f"{package.name} {package.version} has no {', '.join(missing)}; the book expects "
            "it (see VENDOR_ASSETS in src/coursekit/book/assets.py)"
        )
    return count


def fetch_assets(
    *,
    root: Path,
    registry: str = REGISTRY,
    download: Download = _download,
    progress: Progress = print,
) -> list[LockedPackage]:
    """Install the missing packages' used files into ``root/node_modules``; return those fetched.

    Each tarball is checked against package-lock.json before it is unpacked, into a fresh
    folder that then replaces ``node_modules/<package>``; a failed package leaves the
    previous state untouched, and the other packages are still installed before the error
    naming every failed one is raised.
    """
    node_modules = root / "node_modules"
    fetched: list[LockedPackage] = []
    failures: list[str] = []
    for package in missing_packages(root=root, registry=registry):
        what = f"{package.name} {package.version} ({package.url})"
        try:
            data = download(package.url)
            check_integrity(data, package.integrity, what=what)
            dest = node_modules / package.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".fetch-") as scratch:
                staged = Path(scratch) / "package"
                count = _unpack(data, package, staged)
                if dest.is_symlink() or dest.is_file():
                    dest.unlink()
                elif dest.exists():
                    shutil.rmtree(dest)
                staged.rename(dest)
        except AssetError as exc:
            failures.append(str(exc))
            continue
        except (OSError, tarfile.TarError) as exc:
            failures.append(f"{what}: {exc}")
            continue
        progress(f"{package.name} {package.version}: {len(data):,} bytes, {count} files used")
        fetched.append(package)
    if failures:
        raise AssetError("; ".join(failures))
    return fetched


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: fetch what is missing, or only report it (``--check``, ``--dry-run``)."""
    parser = argparse.ArgumentParser(
        prog="assets.py", description="Install the book's JavaScript from package-lock.json."
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if something is missing; fetch nothing"
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would be fetched")
    args = parser.parse_args(argv)
    try:
        missing = missing_packages(root=args.root)
        if args.check or args.dry_run:
            for package in missing:
                print(f"would fetch {package.name} {package.version}")
            if not missing:
                print("JavaScript assets: all present")
            return 1 if (args.check and missing) else 0
        fetch_assets(root=args.root)
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
