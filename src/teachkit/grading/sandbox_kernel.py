"""Kernel launcher for grading: limit, confine, then start an ordinary IPython kernel.

Run as ``python -m teachkit.grading.sandbox_kernel --work DIR --memory MB ... -f CONNECTION``.
The limits are set in the kernel process itself, before any student code exists, so they hold for
everything the submission does: an address-space cap (a memory bomb meets MemoryError), a CPU-time
cap (a loop that ignores interrupts is killed), a file-size cap, no core dumps, a scrubbed
environment, and where Linux offers Landlock: reading only the listed folders, writing only the
submission's own folder, no outgoing TCP connections and no signals to the grader.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

KEEP_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED", "PYDEVD_DISABLE_FILE_VALIDATION")
SYSTEM_READ = (
    "/usr",
    "/lib",
    "/lib64",
    "/bin",
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/proc/stat",
    "/sys/devices/system/cpu",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
)
SYSTEM_WRITE = ("/dev/null",)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="teachkit.grading.sandbox_kernel")
    parser.add_argument("-f", dest="connection_file", required=True)
    parser.add_argument("--work", required=True, help="the submission's own folder (read/write)")
    parser.add_argument("--read", action="append", default=[], help="folders it may read")
    parser.add_argument("--memory", type=int, default=1024, help="address-space limit, MB")
    parser.add_argument("--cpu", type=int, default=600, help="CPU-seconds limit")
    parser.add_argument("--file-size", type=int, default=64, help="largest file it may write, MB")
    parser.add_argument("--processes", type=int, default=64, help="tasks it may add (RLIMIT_NPROC)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE to set")
    parser.add_argument("--parent", type=int, help="the grading process's pid: stop when it is gone")
    return parser.parse_args(argv)


def _limit(name: str, value: int) -> None:
    kind = getattr(resource, name)
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value if name != "RLIMIT_CPU" else value + 5))


def _user_tasks() -> int:
    """Processes and threads of this user now (Linux /proc); what RLIMIT_NPROC counts."""
    uid, count = os.getuid(), 0
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not name.isdigit():
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid == uid:
                count += len(os.listdir(f"/proc/{name}/task"))
        except OSError:
            continue
    return count


def prepare(args: argparse.Namespace) -> int:
    """Scrub the environment, set limits and confine the process; returns the Landlock ABI used."""
    work = Path(args.work).resolve()
    for name in list(os.environ):
        if name not in KEEP_ENV:
            del os.environ[name]
    for item in args.env:
        key, _, value = item.partition("=")
        os.environ[key] = value
    os.environ.update(
        {
            "HOME": str(work),
            "TMPDIR": str(work),
            "MPLCONFIGDIR": str(work / ".mpl"),
            "IPYTHONDIR": str(work / ".ipython"),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONNOUSERSITE": "1",
            "JUPYTER_PLATFORM_DIRS": "1",
            "JUPYTER_RUNTIME_DIR": str(work / ".rt"),
            "JUPYTER_DATA_DIR": str(work / ".jd"),
            "JUPYTER_CONFIG_DIR": str(work / ".jc"),
        }
    )
    os.chdir(work)
    _limit("RLIMIT_AS", args.memory * 1024 * 1024)
    _limit("RLIMIT_CPU", args.cpu)
    _limit("RLIMIT_FSIZE", args.file_size * 1024 * 1024)
    _limit("RLIMIT_CORE", 0)
    # Counted per user, threads included, so the limit is what this user runs now plus a margin.
    # Root is exempt from it (the sweep still kills every fork at the end).
    _limit("RLIMIT_NPROC", _user_tasks() + args.processes)
    with open(args.connection_file, encoding="utf-8") as handle:
        info = json.load(handle)
    ports = [int(info[k]) for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port") if k in info]
    from . import landlock

    proc_self = Path(f"/proc/{os.getpid()}")
    read = [*SYSTEM_READ, str(proc_self), *args.read]
    return landlock.restrict(read=read, write=[str(work), *SYSTEM_WRITE], bind_ports=ports)


def main(argv: list[str] | None = None) -> None:
    args = _parse(sys.argv[1:] if argv is None else argv)
    from .orphans import die_with_parent

    # Gone with the grading worker. Its pid comes on the command line: a worker that dies while
    # this process is still starting would already have made os.getppid() someone else.
    die_with_parent(args.parent or os.getppid())
    abi = prepare(args)
    os.environ["TEACHKIT_SANDBOX"] = f"landlock-{abi}" if abi else "limits-only"
    from ipykernel.kernelapp import launch_new_instance

    quiet = os.open(os.devnull, os.O_WRONLY)  # the kernel's own banner and warnings, not cells'
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)

    sys.argv = ["ipykernel", "-f", args.connection_file]
    launch_new_instance()


if __name__ == "__main__":
    main()
