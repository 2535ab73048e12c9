"""``coursekit hub init``: write and check a single-machine course JupyterHub.

One folder holds everything::

    DIR/                     0711: students may pass through, not list
      hub/                   0700: jupyterhub_config.py, secrets, roster, passwords, logs, state
      course/                0700: the nbgrader course (sources, gradebook, submissions)
      exchange/              1777: nbgrader's exchange (nbgrader sets its inner permissions)
      env/                   0755: the students' Python (JupyterLab, nbgrader, coursekit)
      student-config/        0755: the students' Jupyter settings (course id, exchange, which
                             nbgrader extensions they see)

Students log in with their Unix account (PAM) and each gets a JupyterLab server running as
that user (``LocalProcessSpawner``), so the file system keeps them apart and the exchange can
check who submitted what. The hub listens on 127.0.0.1 unless told otherwise; its cookie
secret and the proxy's token are generated, kept ``0600`` and never passed on a command line.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from coursekit.config import CourseConfig, load_config
from coursekit.grading.errors import GradingError
from coursekit.grading.intake import write_private
from coursekit.grading.roster import Student, add_students, read_roster

__all__ = ["HubInitResult", "HubLayout", "init_hub"]

# nbgrader's JupyterLab plugins and server extensions that only instructors may use.
_INSTRUCTOR_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
# The students' environment gets the versions the instructor's has.
_STUDENT_PACKAGES = ("jupyterhub", "jupyterlab", "nbgrader")
_INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)


@dataclass(frozen=True)
class HubLayout:
    """Where everything of a hub folder lives."""

    root: Path

    @property
    def hub(self) -> Path:
        """Hub state: configuration, secrets, roster, passwords, logs (instructor only)."""
        return self.root / "hub"

    @property
    def config(self) -> Path:
        """The JupyterHub configuration file."""
        return self.hub / "jupyterhub_config.py"

    @property
    def settings(self) -> Path:
        """Port, bind address and course id, as ``hub init`` chose them."""
        return self.hub / "settings.txt"

    @property
    def log(self) -> Path:
        """JupyterHub's log (the proxy's and the hub's, no secrets)."""
        return self.hub / "jupyterhub.log"

    @property
    def pid(self) -> Path:
        """The running hub's process id."""
        return self.hub / "jupyterhub.pid"

    @property
    def passwords(self) -> Path:
        """The initial passwords of the accounts ``hub init`` created, for the instructor."""
        return self.hub / "passwords.csv"

    @property
    def course(self) -> Path:
        """The nbgrader course workspace."""
        return self.root / "course"

    @property
    def exchange(self) -> Path:
        """The nbgrader exchange root shared by instructor and students."""
        return self.root / "exchange"

    @property
    def env(self) -> Path:
        """The students' Python environment."""
        return self.root / "env"

    @property
    def student_config(self) -> Path:
        """The students' Jupyter settings, a read-only folder on ``JUPYTER_CONFIG_PATH``."""
        return self.root / "student-config"


@dataclass(frozen=True)
class HubInitResult:
    """What ``coursekit hub init`` wrote and checked."""

    layout: HubLayout
    url: str
    students: tuple[str, ...]
    created_users: tuple[str, ...]
    checks: tuple[str, ...]

    def __str__(self) -> str:
        """The text the command line prints for it."""
        lines = [
            f"hub in {self.layout.root}: {self.url} ({len(self.students)} students)",
            f"  course:    {self.layout.course}",
            f"  exchange:  {self.layout.exchange}",
            f"  students' Python: {self.layout.env}",
        ]
        if self.created_users:
            lines.append(
                f"  new accounts: {', '.join(self.created_users)} "
                f"(initial passwords in {self.layout.passwords}, readable by you only)"
            )
        lines += [f"  ok: {check}" for check in self.checks]
        lines.append(f"start it with: coursekit hub start {self.layout.root}")
        return "\n".join(lines)


def init_hub(
    *,
    directory: Path,
    students: Path | None = None,
    port: int = 8000,
    db_url: str | None = None,
    ip: str = "127.0.0.1",
    config: CourseConfig | None = None,
    python: Path | None = None,
    create_users: bool = True,
) -> HubInitResult:
    """Write (or refresh) a course hub in ``directory`` and check that it can run.

    ``students`` is the roster (see :func:`coursekit.grading.roster.read_roster`); without it the
    roster saved by an earlier ``init`` is used. ``db_url`` makes the gradebook a server
    database (PostgreSQL) instead of SQLite. ``ip`` is the address the hub listens on (only
    change it behind a TLS-terminating proxy). ``python`` is the interpreter for the students'
    environment (default: this one if every user can run it, else ``/usr/bin/python3``).
    ``create_users=False`` leaves the Unix accounts to you (they must exist). Needs root.
    """
    if os.geteuid() != 0:
        raise GradingError(
            "coursekit hub init needs root: it creates the students' Unix accounts and the "
            "hub runs their servers as them; run it with sudo"
        )
    try:
        address = ipaddress.ip_address(ip)
    except ValueError as exc:
        raise GradingError(f"--ip {ip!r} is not an IP address (for example 127.0.0.1)") from exc
    if address.version != 4:
        raise GradingError(f"--ip {ip}: give an IPv4 address (127.0.0.1, or 0.0.0.0 for all)")
    layout = HubLayout(directory.resolve())
    config = config or load_config()
    roster = _roster(layout, students)
    _make_folders(layout)
    _write_secret(layout.hub / "jupyterhub_cookie_secret", secrets.token_hex(32))
    _write_secret(layout.hub / "proxy_auth_token", secrets.token_hex(32))
    proxy = _proxy_command(config)
    write_private(layout.config, _hub_config(layout, roster, port, ip, proxy))
    write_private(layout.settings, f"port={port}\nip={ip}\ncourse_id={config.course_id}\n")
    _course(layout, config, roster, db_url)
    _exchange_folders(layout, config.course_id)
    _public_tree(layout.student_config, _student_config(layout, config.course_id))
    _student_env(layout, config, python)
    created = _accounts(layout, roster) if create_users else ()
    checks = _check(layout, roster, proxy)
    return HubInitResult(
        layout,
        f"http://{ip}:{port}/",
        tuple(s.id for s in roster),
        created,
        checks,
    )


def _roster(layout: HubLayout, students: Path | None) -> list[Student]:
    saved = layout.hub / "roster.csv"
    if students is None:
        if not saved.is_file():
            raise GradingError(
                f"{layout.root}: no roster yet; pass --students FILE (one id per line, or a CSV "
                "with columns id, first_name, last_name, email)"
            )
        return read_roster(saved, unix_names=True)
    roster = read_roster(students, unix_names=True)
    layout.hub.mkdir(mode=0o700, parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "first_name", "last_name", "email"])
    writer.writerows([s.id, s.first_name, s.last_name, s.email] for s in roster)
    write_private(saved, buffer.getvalue())
    return roster


def _exchange_folders(layout: HubLayout, course_id: str) -> None:
    """The course's exchange folders, made and owned by root with nbgrader's own modes.

    Made here rather than at the first release, so that no student can make them first (and
    own them); students may drop submissions into ``inbound`` but list nothing there, and may
    fetch a feedback page only by the name nbgrader gives it.
    """
    # inbound: nbgrader's 2733 plus the sticky bit, so no student can rename or remove
    # another's submission.
    modes = {"outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
    course = layout.exchange / course_id
    course.mkdir(mode=0o755, exist_ok=True)
    for folder in (course, *(course / name for name in modes)):
        folder.mkdir(exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0:
            raise GradingError(f"{folder}: not a folder owned by root; remove it and init again")
    course.chmod(0o755)
    for name, mode in modes.items():
        (course / name).chmod(mode)


def _make_folders(layout: HubLayout) -> None:
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.root.chmod(0o711)
    layout.hub.mkdir(exist_ok=True)
    layout.hub.chmod(0o700)
    layout.exchange.mkdir(exist_ok=True)
    layout.exchange.chmod(0o755)


def _write_secret(path: Path, value: str) -> None:
    """Create a secret once; a rerun keeps it (so logged-in students stay logged in)."""
    if path.is_file() and path.read_text().strip():
        path.chmod(0o600)
        return
    write_private(path, value + "\n")


_DEBIAN_NODE_MODULES = "/usr/share/nodejs"


def _proxy_command(config: CourseConfig) -> list[str]:
    """configurable-http-proxy from the repository's ``node_modules`` if there, else from PATH.

    ``./run`` installs Debian's ``node-configurable-http-proxy`` (on PATH) for it.
    """
    local = config.root / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    if found is None:
        raise GradingError(
            "configurable-http-proxy is not on PATH (nor in "
            f"{local.parent}); install it with `apt-get install node-configurable-http-proxy` "
            "(`./run setup` does that as root) or `npm install -g configurable-http-proxy`"
        )
    if Path(found).resolve().is_relative_to(_DEBIAN_NODE_MODULES):
        # Debian's package keeps its modules where only Debian's own Node looks; a Node from
        # elsewhere (NodeSource) finds them through NODE_PATH.
        return ["env", f"NODE_PATH={_DEBIAN_NODE_MODULES}", found]
    return [found]


def _hub_config(
    layout: HubLayout, roster: Sequence[Student], port: int, ip: str, proxy: list[str]
) -> str:
    users = sorted(s.id for s in roster)
    return f'''"""JupyterHub settings of this course, written by `coursekit hub init`."""

from pathlib import Path

c = get_config()  # noqa: F821
here = Path({str(layout.hub)!r})

c.JupyterHub.bind_url = "http://{ip}:{port}/"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{port + 1}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.command = {proxy!r}
c.ConfigurableHTTPProxy.pid_file = str(here / "proxy.pid")
# Secrets come from files readable by root only; never from the command line or the log.
c.JupyterHub.cookie_secret_file = str(here / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.auth_token = (here / "proxy_auth_token").read_text().strip()
c.JupyterHub.db_url = "sqlite:///" + str(here / "jupyterhub.sqlite")
c.JupyterHub.pid_file = str(here / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

# Students log in with their Unix account; only the course's students may.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set({users!r})
c.Authenticator.admin_users = set()

# Each student's JupyterLab runs as that student, from the students' environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{str(layout.env / "bin" / "jupyterhub-singleuser")!r}]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# A read-only search path (not the user's own, writable JUPYTER_CONFIG_DIR).
c.Spawner.environment = {{"JUPYTER_CONFIG_PATH": {str(layout.student_config)!r}}}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
'''


def _course(
    layout: HubLayout, config: CourseConfig, roster: Sequence[Student], db_url: str | None
) -> None:
    from nbgrader.api import Gradebook

    from coursekit.grading.nbgrader_api import quiet_nbgrader
    from coursekit.grading.workspace import init_course

    result = init_course(
        directory=layout.course, config=config, db_url=db_url, exchange=layout.exchange
    )
    layout.course.chmod(0o700)
    with quiet_nbgrader(), Gradebook(result.course.db_url, result.course.course_id) as gb:
        add_students(gb, roster)


def _student_config(layout: HubLayout, course_id: str) -> dict[str, str]:
    import json

    disabled = {name: True for name in _INSTRUCTOR_PLUGINS}
    server = {
        "ServerApp": {"jpserver_extensions": dict.fromkeys(_INSTRUCTOR_SERVER_EXTENSIONS, False)}
    }
    return {
        "nbgrader_config.py": (
            '"""nbgrader settings for the course\'s students, written by `coursekit hub init`."""\n'
            "\n"
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {course_id!r}\n"
            f"c.Exchange.root = {str(layout.exchange)!r}\n"
            "c.Exchange.path_includes_course = True\n"
            "# Submissions readable by their student (and root) only, not by every user.\n"
            'c.ExchangeFactory.submit = "coursekit.hub.exchange.PrivateSubmit"\n'
        ),
        "jupyter_server_config.json": json.dumps(server, indent=2) + "\n",
        "labconfig/page_config.json": json.dumps({"disabledExtensions": disabled}, indent=2) + "\n",
    }


def _public_tree(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` under ``folder``, readable (not writable) by every user."""
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)
    for sub in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        sub.chmod(0o755)


def _usable_by_all(path: Path) -> bool:
    """Whether every user may run ``path``: it and each folder above it are world-executable."""
    real = path.resolve()
    if not real.is_file() or not real.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in real.parents)


def _student_env(layout: HubLayout, config: CourseConfig, python: Path | None) -> None:
    """The students' Python with JupyterLab, nbgrader, the hub's single-user server, coursekit.

    Made once (a rerun only reinstalls coursekit); world-readable, never writable by students.
    """
    if python is None:
        here = Path(sys.executable)
        python = here if _usable_by_all(here) else Path("/usr/bin/python3")
    if not _usable_by_all(python):
        raise GradingError(
            f"{python}: students cannot run this Python (a folder above it is private); pass "
            "--python with one every user can run, e.g. /usr/bin/python3 (Debian: apt-get "
            "install python3-venv)"
        )
    env_python = layout.env / "bin" / "python"
    pip = [str(env_python), "-m", "pip", "install", "-q"]
    if env_python.exists():  # a refresh: only coursekit itself changes
        steps = [[*pip, "--no-deps", "--force-reinstall", str(config.root)]]
    else:
        pins = [f"{name}=={metadata.version(name)}" for name in _STUDENT_PACKAGES]
        steps = [[str(python), "-m", "venv", str(layout.env)], [*pip, *pins, str(config.root)]]
    for argv in steps:
        done = subprocess.run(argv, capture_output=True, text=True, umask=0o022, check=False)
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise GradingError(
                f"{layout.env}: could not build the students' Python ({' '.join(argv[:4])} "
                f"failed):\n{tail}"
            )


def _accounts(layout: HubLayout, roster: Sequence[Student]) -> tuple[str, ...]:
    """Create the Unix accounts the roster lacks, each with a random initial password."""
    created: list[str] = []
    for s in roster:
        try:
            pwd.getpwnam(s.id)
            continue
        except KeyError:
            pass
        done = subprocess.run(
            ["/usr/sbin/useradd", "--create-home", "--user-group", "--shell", "/bin/bash", s.id],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise GradingError(f"useradd {s.id} failed: {done.stderr.strip()}")
        password = secrets.token_urlsafe(12)
        done = subprocess.run(
            ["/usr/sbin/chpasswd"],
            input=f"{s.id}:{password}\n",
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise GradingError(f"chpasswd for {s.id} failed: {done.stderr.strip()}")
        # Kept at once, so an account made before a later failure never loses its password.
        _append_private(layout.passwords, "id,password\n", f"{s.id},{password}\n")
        Path(pwd.getpwnam(s.id).pw_dir).chmod(0o700)
        created.append(s.id)
    return tuple(created)


def _append_private(path: Path, header: str, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        if handle.tell() == 0:
            handle.write(header)
        handle.write(line)


def _check(layout: HubLayout, roster: Sequence[Student], proxy: list[str]) -> tuple[str, ...]:
    """Check what the hub needs, as the students will meet it; each success as a line."""
    problems: list[str] = []
    missing = []
    for s in roster:
        try:
            pwd.getpwnam(s.id)
        except KeyError:
            missing.append(s.id)
    if missing:
        problems.append(f"no Unix account for {missing}: create them or drop --no-create-users")
    node = shutil.which("node")
    if node is None:
        problems.append(
            "node (Node.js) is not on PATH; configurable-http-proxy needs it: "
            "`apt-get install node-configurable-http-proxy` brings both"
        )
    try:
        import pamela  # noqa: F401
    except (ImportError, OSError) as exc:
        problems.append(f"PAM is not usable for logins ({exc}); install libpam0g")
    probe = "import coursekit, nbgrader, jupyterhub, jupyterlab; print('ok')"
    user = roster[0].id if roster and not missing else None
    if user is not None:
        argv = ["runuser", "-u", user, "--", str(layout.env / "bin" / "python"), "-c", probe]
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd="/")
        if done.stdout.strip() != "ok":
            problems.append(
                f"student {user!r} cannot run the students' Python: {done.stderr.strip()[-300:]}"
            )
    if problems:
        raise GradingError(f"{layout.root}: the hub cannot run yet:\n  " + "\n  ".join(problems))
    return (
        f"{len(roster)} student accounts",
        f"students can run {layout.env / 'bin' / 'python'}",
        f"configurable-http-proxy: {proxy[-1]}",
        "PAM logins",
        f"exchange {layout.exchange} (path includes the course id)",
    )
