"""After a submission: no process it started keeps running, no file it wrote stays behind.

A kernel is started in its own session and process group, with a marker in its environment that
every process it forks inherits, and the grading process is a "child subreaper" (Linux), so an
orphan that called `setsid()` is re-parented to the grader rather than to init. `sweep()` then
kills, until none is left: the kernel's session and group, anything whose start-up environment or
command line carries the run's marker or work folder, and any child of the grader that did not
exist before the run. Where Linux offers neither /proc nor prctl, only the process group is
killed. A cgroup (or a container) per submission is the stronger tool; see docs/exercise-sets.md.

`remove_tree()` removes the work folder even when the submission made a file immutable or
read-only, and says why when it still cannot.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import signal
import stat
import sys
import time
from pathlib import Path

MARKER_ENV = "TEACHKIT_RUN_MARKER"
_PR_SET_CHILD_SUBREAPER = 36
_FS_IOC_GETFLAGS, _FS_IOC_SETFLAGS = 0x80086601, 0x40086602
_IMMUTABLE, _APPEND = 0x10, 0x20


def become_subreaper() -> bool:
    """Let orphans of this process's descendants be re-parented here (Linux 3.4+)."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    return False


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, process group, session) from /proc, None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2 :].split()
    try:
        return int(fields[1]), int(fields[2]), int(fields[3])
    except (IndexError, ValueError):
        return None


def _pids() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def children() -> set[int]:
    """This process's children now."""
    me = os.getpid()
    return {pid for pid in _pids() if (_stat(pid) or (0, 0, 0))[0] == me}


def _carries(pid: int, what: str, needle: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/{what}", "rb") as handle:
            return needle in handle.read(1 << 20)
    except OSError:
        return False


def kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def _belongs(pid: int, marker: str, work: str, session: int | None, keep: set[int]) -> bool:
    info = _stat(pid)
    if info is None:
        return False
    parent, group, sid = info
    if session and (sid == session or group == session):
        return True
    if parent == os.getpid() and pid not in keep:
        return True  # an orphan re-parented to this subreaper, or the kernel itself
    if marker and _carries(pid, "environ", f"{MARKER_ENV}={marker}".encode()):
        return True
    return bool(work) and _carries(pid, "cmdline", f"--work\0{work}\0".encode())


def sweep(*, marker: str, work: str, session: int | None, keep: set[int], rounds: int = 40) -> int:
    """Kill every process of one run until none is left; returns how many were killed."""
    if session:
        kill_group(session)
    me, protected = os.getpid(), {os.getpid(), os.getppid(), *keep}
    killed: set[int] = set()
    for _ in range(rounds):
        found = [p for p in _pids() if p not in protected and _belongs(p, marker, work, session, keep)]
        if not found:
            break
        for pid in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
            killed.add(pid)
        time.sleep(0.02)
        for pid in found:  # reap the ones that were (or became) our children
            if (_stat(pid) or (0, 0, 0))[0] == me:
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)
    return len(killed)


def _unlock(path: str, is_dir: bool) -> None:
    """Clear immutable and append-only flags (where the file system has them) and allow writing."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            flags = bytearray(4)
            fcntl.ioctl(fd, _FS_IOC_GETFLAGS, flags)
            value = int.from_bytes(flags, sys.byteorder)
            if value & (_IMMUTABLE | _APPEND):
                fcntl.ioctl(fd, _FS_IOC_SETFLAGS, (value & ~(_IMMUTABLE | _APPEND)).to_bytes(4, sys.byteorder))
        finally:
            os.close(fd)
    with contextlib.suppress(OSError):
        mode = os.lstat(path).st_mode
        if not stat.S_ISLNK(mode):
            os.chmod(path, stat.S_IMODE(mode) | (stat.S_IRWXU if is_dir else stat.S_IRUSR | stat.S_IWUSR))


def remove_tree(folder: Path) -> str:
    """Remove `folder`; "" when it is gone, else a sentence saying what is left."""
    shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        return ""
    _unlock(str(folder), True)
    for root, dirs, files in os.walk(folder):
        _unlock(root, True)
        for name in dirs:
            _unlock(os.path.join(root, name), True)
        for name in files:
            _unlock(os.path.join(root, name), False)
    shutil.rmtree(folder, ignore_errors=True)
    if os.path.lexists(folder):
        return f"the work folder {folder} could not be removed; remove it by hand"
    return ""
