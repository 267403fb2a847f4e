"""Nothing outlives the grader: grading workers and sandbox kernels stop when their parent is gone.

If the instructor's `grade` or `validate` is killed (a closed terminal, `kill -9`), its Dask workers
stop with it (a local cluster's worker processes exit when their parent is gone), and so must each
worker's kernel with everything the submission forked. So:

- a kernel asks Linux to kill it when its worker dies (`PR_SET_PDEATHSIG`). The kernel gets no
  watcher thread: a thread reserves address space, and the kernel's address-space limit is the
  submission's to use;
- each grading process starts a guardian (`start_guardian`): a small process that learns the
  process groups of the kernels it runs (`LIVE_GROUPS`, kept by the runner) through a pipe. When
  the grading process is gone, however it died, the pipe closes and the guardian kills those groups
  and every process carrying one of this worker's run markers (what a submission forked, even after
  `setsid()`), then exits. It needs no timing: Dask's own parent watch may `_exit` the worker at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

_PR_SET_PDEATHSIG = 1


class _Groups(set[int]):
    """A set of process groups that tells this process's guardian (if any) what it holds."""

    def add(self, group: int) -> None:
        super().add(group)
        _tell(f"+{group}")

    def discard(self, group: int) -> None:
        super().discard(group)
        _tell(f"-{group}")


LIVE_GROUPS: set[int] = _Groups()  # process groups of the kernels this process runs now
_GUARDIAN: tuple[int, int, subprocess.Popen[bytes]] | None = None  # (owner pid, write end, process)


def _tell(line: str) -> None:
    if _GUARDIAN is not None and _GUARDIAN[0] == os.getpid():
        with contextlib.suppress(OSError):
            os.write(_GUARDIAN[1], f"{line}\n".encode())


def start_guardian() -> None:
    """Start this process's guardian once (see module docstring); later calls do nothing."""
    global _GUARDIAN
    if _GUARDIAN is not None and _GUARDIAN[0] == os.getpid() and _GUARDIAN[2].poll() is None:
        return
    read, write = os.pipe()  # not inherited by the kernels: only the guardian gets `read`, as stdin
    process = subprocess.Popen(
        [sys.executable, "-I", "-m", "teachkit.grading.orphans", str(os.getpid())],
        stdin=read,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a signal to the worker's group does not stop the guardian first
    )
    os.close(read)
    _GUARDIAN = (os.getpid(), write, process)
    for group in list(LIVE_GROUPS):
        _tell(f"+{group}")


def guard(owner: int) -> None:
    """The guardian: follow the owner's groups on stdin; on end of input kill what it left."""
    groups: set[int] = set()
    for line in sys.stdin.buffer:
        text = line.decode("ascii", "replace").strip()
        with contextlib.suppress(ValueError):
            (groups.add if text.startswith("+") else groups.discard)(int(text[1:]))
    from .sweep import MARKER_ENV, _carries, _pids

    needle = f"{MARKER_ENV}=teachkit-run-{owner}-".encode()
    for _ in range(5):  # a process may fork while we kill: a few rounds
        for group in groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        stray = [pid for pid in _pids() if pid != os.getpid() and _carries(pid, "environ", needle)]
        for pid in stray:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not stray:
            break
        time.sleep(0.1)


def die_with_parent(parent: int) -> None:
    """For a kernel: be killed when `parent` dies (Linux); exit now if it is already gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request above was in place
        os._exit(70)


if __name__ == "__main__":
    guard(int(sys.argv[1]))
