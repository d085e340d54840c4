"""A real Neo4j 5 Community server from Maven Central, for machines without Docker.

`pom.xml` pins the version (the same as docker-compose.yml); Maven fetches the jars into its own
cache and `javac` compiles the small launcher beside it. `python -m tests.neo4j.launcher` runs one
by hand and prints its URI (for `graphbrm bench --store bolt://…`), until Ctrl-C.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "src/main/java/graphbrm/Neo4jLauncher.java"
TARGET = HERE / "target"
START_TIMEOUT_S = 120


def missing_tools() -> str | None:
    """Why the launcher cannot run here, or None."""
    absent = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    return f"{', '.join(absent)} not found" if absent else None


def build() -> str:
    """Fetch the jars (once) and compile the launcher; the classpath to run it with."""
    classpath_file = TARGET / "classpath.txt"
    if not classpath_file.exists() or classpath_file.stat().st_mtime < (HERE / "pom.xml").stat().st_mtime:
        _run(["mvn", "-q", "-B", "dependency:build-classpath",
              f"-Dmdep.outputFile={classpath_file}"])
    classes = TARGET / "classes"
    compiled = classes / "graphbrm/Neo4jLauncher.class"
    jars = classpath_file.read_text().strip()
    if not compiled.exists() or compiled.stat().st_mtime < SOURCE.stat().st_mtime:
        _run(["javac", "-cp", jars, "-d", str(classes), str(SOURCE)])
    return f"{classes}:{jars}"


@contextmanager
def running_server() -> Iterator[str]:
    """A fresh Neo4j server on a free loopback port, stopped on exit: its bolt:// URI."""
    classpath = build()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="graphbrm-neo4j-") as home:
        log = Path(home) / "launcher.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                ["java", "-Xms512m", "-Xmx2g", "-XX:+UseParallelGC", "-cp", classpath,
                 "graphbrm.Neo4jLauncher", home, str(port)],
                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_ready(process, log, port)
            yield f"bolt://127.0.0.1:{port}"
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if f"ready {port}" in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"Neo4j launcher exited with {process.returncode}:\n"
                               + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"Neo4j did not answer within {START_TIMEOUT_S} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # the JVM's shutdown hook stops the DBMS cleanly
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdin:
        process.stdin.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(command: list[str]) -> None:
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed ({done.returncode}):\n"
                           f"{(done.stdout + done.stderr)[-3000:]}")


if __name__ == "__main__":
    with running_server() as uri:
        print(uri, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
