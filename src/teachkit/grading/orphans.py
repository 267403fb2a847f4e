"""Nothing outlives the grader: grading workers and sandbox kernels stop when their parent is gone.

If the instructor's `grade` or `validate` is killed (a closed terminal, `kill -9`), its pool workers
would keep running, and each worker's kernel with everything the submission forked. Instead:

- a worker watches the grader; once the grader is gone it kills the process groups of the kernels it
  runs (`LIVE_GROUPS`, kept by the runner) and exits;
- a kernel asks Linux to kill it when its worker dies (`PR_SET_PDEATHSIG`), which covers a worker that
  is itself killed. The kernel gets no watcher thread: a thread reserves address space, and the
  kernel's address-space limit is the submission's to use.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1

LIVE_GROUPS: set[int] = set()  # process groups of the kernels this process runs now


def stop_when_orphaned(parent: int, stop: Callable[[], None], every: float = 0.5) -> threading.Thread:
    """Call `stop()` once `parent` is no longer this process's parent; checks every `every` seconds."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        stop()

    watcher = threading.Thread(target=watch, name="teachkit-orphan-watch", daemon=True)
    watcher.start()
    return watcher


def kill_live_groups() -> None:
    for group in list(LIVE_GROUPS):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


def exit_with_parent(parent: int) -> None:
    """Initializer of a grading worker: when the grader is gone, stop its kernels and leave."""

    def stop() -> None:
        kill_live_groups()
        os._exit(70)

    stop_when_orphaned(parent, stop)


def die_with_parent(parent: int) -> None:
    """For a kernel: be killed when `parent` dies (Linux); exit now if it is already gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request above was in place
        os._exit(70)
