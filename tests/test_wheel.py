"""The built wheel works on its own: installed into a fresh venv, run outside the checkout.

`pip wheel .` builds it from this checkout (its build backend comes from the package index, as
for any user). It is installed without dependencies into a new venv that borrows them from the
test venv through a `.pth` file, so `graphbrm` can only come from the wheel. From a scratch folder
the installed `graphbrm` imports the example bundle of docs/import.md, creates a token, serves,
and answers a review and the web UI's files.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "bundle.json"
UI_SCRIPTS = ["app.js", "api.js", "dom.js", "i18n.js", "map.js", "map.css", "views/review.js",
              "views/daily.js", "vendor/cytoscape/cytoscape.esm.min.mjs", "vendor/elkjs/elk.bundled.js"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with only the wheel installed in it."""
    work = tmp_path_factory.mktemp("wheel")
    # From a copy: an in-place build leaves build/lib behind, whose stale files a later wheel keeps.
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "target", "data", "docs"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(work / "dist"), str(source)], check=True, cwd=work)
    [wheel] = (work / "dist").glob("graphbrm-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                    "-q", "--no-deps", "--no-index", str(wheel)], check=True, cwd=work)
    return venv / "bin"


@pytest.fixture
def scratch(tmp_path: Path) -> dict[str, str]:
    """Environment for the installed CLI: its own data dir, run from a folder outside the repo."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPHBRM_", "NEO4J_"))}
    env.update(GRAPHBRM_DATA_DIR=str(tmp_path / "data"), GRAPHBRM_WORKERS="1",
               PYTHONPATH="", PYTHONSAFEPATH="1")
    return env


def run(bin_dir: Path, env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run([str(bin_dir / "graphbrm"), *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_wheel_holds_the_queries_and_the_ui_under_graphbrm(installed: Path) -> None:
    code = ("import graphbrm, graphbrm.api, graphbrm.seed, importlib.util as u, json; "
            "from graphbrm import queries; "
            "print(json.dumps([graphbrm.__file__, queries.load_all(), "
            "u.find_spec('api') is None, u.find_spec('seed') is None]))")
    out = subprocess.run([str(installed / "python"), "-c", code], capture_output=True, text=True,
                         check=True, cwd=installed).stdout
    location, query_count, no_top_api, no_top_seed = json.loads(out)
    assert not Path(location).is_relative_to(ROOT), "graphbrm was imported from the checkout"
    assert query_count == len(list_query_names())
    assert no_top_api and no_top_seed, "the wheel must not install generic top-level packages"


def list_query_names() -> set[str]:
    names = set()
    for path in (ROOT / "cypher").rglob("*.cypher"):
        name = path.relative_to(ROOT / "cypher").as_posix().removesuffix(".cypher")
        names.add(name.removesuffix(".neo4j").removesuffix(".falkordb"))
    return names


def test_installed_graphbrm_imports_serves_and_reviews(installed: Path, scratch: dict[str, str],
                                                       tmp_path: Path) -> None:
    run(installed, scratch, tmp_path, "import", str(EXAMPLE))
    token = json.loads(run(installed, scratch, tmp_path, "token", "create", "--employee", "E1",
                           "--role", "manager", "--json"))["token"]
    with serving(installed, scratch, tmp_path) as base:
        review = get_json(f"{base}/api/v1/accounts/A1/review", token)
        assert review["account_id"] == "A1"
        assert [q["key"] for q in review["questions"]] == ["coverage", "averages", "blockers"]
        for script in UI_SCRIPTS:
            with urllib.request.urlopen(f"{base}/static/{script}") as response:
                assert response.status == 200 and response.read(), script


class serving:  # noqa: N801  (used as a context manager, like open())
    """`graphbrm up` of the installed wheel on a free port; stopped on exit."""

    def __init__(self, bin_dir: Path, env: dict[str, str], cwd: Path) -> None:
        self.args = ([str(bin_dir / "graphbrm"), "up", "--port", str(free_port())], env, cwd)

    def __enter__(self) -> str:
        args, env, cwd = self.args
        self.process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{args[-1]}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"graphbrm up exited: {self.process.stdout.read()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    return base
            except OSError:
                time.sleep(0.2)
        pytest.fail("graphbrm up did not answer /healthz within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.communicate(timeout=30)


def get_json(url: str, token: str) -> dict:  # type: ignore[type-arg]
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_module_imports_api_or_seed_by_their_top_level_name() -> None:
    """Imported as `api.x` and `graphbrm.api.x`, one file would become two modules with two states."""
    offenders = []
    for path in (p for top in ("graphbrm", "api", "seed", "tests") for p in ROOT.glob(f"{top}/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.split(".")[0] in ("api", "seed")]
    assert offenders == []
