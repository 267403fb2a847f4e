"""Run the course in a real JupyterLab and drive it from Debian's Chromium through Playwright.

Used by the browser tests (tests/browser) and by benchmarks/browser.py. The server works on a copy
of the course in a temporary folder, with every Jupyter, IPython and matplotlib directory inside
that folder, so a test run never writes into the repository or the home directory. See
jupyter-testing-recipes §4 for where the flags and waits come from.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"  # git-ignored: screenshots, audit reports, failure logs

# Folders a student's copy of the course has; the server sees a fresh copy of them.
COURSE_FOLDERS = ("notebooks", "exercises", "quizzes", "data", "translations")  # translations: tr() strings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

INSTALL_HINT = (
    "Install Debian's Chromium with `apt-get update && apt-get install -y chromium` (as root), "
    "or point $CHROMIUM at a Chromium binary. Never run `playwright install`: the tests use the "
    "system browser."
)

# A kernel that reads German: the same Python, with TEACHKIT_LANG=de in its environment.
GERMAN_KERNEL = "teachkit-de"

# Frontend settings, written as a user's own settings files before the server starts.
USER_SETTINGS = {
    # No news toast and no update check: nothing leaves the machine, nothing covers the page.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Never write the copied notebooks back while a test runs.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Render every cell, so locators and screenshots see the whole notebook.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def chromium_path() -> str | None:
    """The Chromium binary to drive: $CHROMIUM, else `chromium` on PATH, else None."""
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _stop_with_parent() -> None:
    """Linux: have the kernel send SIGTERM to the server if the test process dies first, so a
    killed test run leaves no server (and no kernels) behind."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_course(dest: Path) -> Path:
    """Copy the student-facing folders of the course to `dest` (an empty or new folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "responses.json*")
    for name in COURSE_FOLDERS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    return dest


class LabServer:
    """A JupyterLab server on 127.0.0.1 with its own token and directories, stopped by PID.

    `workdir` receives config/, data/, runtime/, ipython/, mpl/, the server log and the answer
    log `responses.json` (the kernels see it as $TEACHKIT_RESPONSES); `course` is the server's root.
    """

    def __init__(self, workdir: Path, course: Path, env: dict[str, str] | None = None, startup_timeout: float = 90.0):
        self.workdir = workdir.resolve()
        self.course = course.resolve()
        self.extra_env = dict(env or {})
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.responses = self.workdir / "responses.json"
        self.log_path = self.workdir / "jupyterlab.log"
        self.process: subprocess.Popen[bytes] | None = None

    # life cycle ---------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for var, sub in (
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
            ("MPLCONFIGDIR", "mpl"),
        ):
            path = self.workdir / sub  # absolute: kernels run with the notebook's folder as cwd
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        env["TEACHKIT_RESPONSES"] = str(self.responses)
        env.pop("TEACHKIT_LANG", None)
        env.pop("TEACHKIT_COURSE_ROOT", None)
        env.update(self.extra_env)
        return env

    def _write_settings(self) -> None:
        settings = self.workdir / "config" / "lab" / "user-settings"
        for plugin, values in USER_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        kernel = self.workdir / "data" / "kernels" / GERMAN_KERNEL / "kernel.json"
        kernel.parent.mkdir(parents=True, exist_ok=True)
        kernel.write_text(
            json.dumps(
                {
                    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3 (Deutsch)",
                    "language": "python",
                    "env": {"TEACHKIT_LANG": "de"},
                }
            ),
            encoding="utf-8",
        )

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.course}",
            "--ServerApp.open_browser=False",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--expose-app-in-browser",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # JupyterLab refuses to start as root without it
        return cmd

    def start(self) -> LabServer:
        self.environment()  # creates the folders
        self._write_settings()
        log = open(self.log_path, "wb")  # noqa: SIM115 - handed to the child process
        self.process = subprocess.Popen(
            self.command(),
            env=self.environment(),
            cwd=self.course,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_stop_with_parent if sys.platform.startswith("linux") else None,
        )
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode} before "
                    f"it answered. Its log ends with:\n{self.log_tail()}"
                )
            try:
                self.api("GET", "/api/status")
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"JupyterLab did not answer within {self.startup_timeout:.0f} s. Its log ends with:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM to the server's PID (it shuts its kernels down), SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # REST ---------------------------------------------------------------------------------
    def api(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            data = reply.read()
        return json.loads(data) if data else None

    def shutdown_sessions(self) -> None:
        """End every notebook session, so the next page gets a fresh kernel (recipes §4.5, 9)."""
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def url(self, path: str) -> str:
        return f"{self.base_url}/lab/tree/{path}?token={self.token}&reset"

    # answers ------------------------------------------------------------------------------
    def records(self) -> list[dict[str, Any]]:
        """The records of the answer log the kernels write (an empty list if there is none)."""
        if not self.responses.exists():
            return []
        return json.loads(self.responses.read_text(encoding="utf-8"))["records"]

    def forget_answers(self) -> None:
        for path in (self.responses, self.responses.with_name(self.responses.name + ".lock")):
            path.unlink(missing_ok=True)


def write_notebook(path: Path, sources: list[str], kernel: str = "python3") -> Path:
    """Write a small notebook of code cells, e.g. one that shows chosen quiz items."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def copy_notebook(source: Path, dest: Path, kernel: str) -> Path:
    """Copy a notebook with another kernel (e.g. GERMAN_KERNEL) named in its metadata."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    notebook["metadata"]["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    dest.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    return dest


def launch_chromium(playwright: Any, executable: str) -> Any:
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


# In-page helpers. They read JupyterLab's own models through `window.jupyterapp`
# (--expose-app-in-browser); every action a student takes is still a real click or key press.
_JS_MARK_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const run = {started: new Set(), finished: new Set()};
  window.__teachkitRun = run;
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    cell.model.stateChanged.connect((_, change) => {
      if (window.__teachkitRun !== run || change.name !== 'executionState') return;
      if (change.newValue === 'running') run.started.add(index);
      else if (run.started.has(index)) run.finished.add(index);
    });
  });
}"""

_JS_RUN_DONE = """(only) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const run = window.__teachkitRun;
  return panel.content.widgets.every((cell, index) =>
    (only && !only.includes(index)) ||
    cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim() ||
    (run.finished.has(index) && cell.model.executionState !== 'running'));
}"""

_JS_OUTPUT_TEXT = """(index) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
  return cell.model.outputs.toJSON().map(out => {
    if (out.output_type === 'stream') return Array.isArray(out.text) ? out.text.join('') : out.text;
    if (out.output_type === 'error') return `${out.ename}: ${out.evalue}`;
    const plain = (out.data || {})['text/plain'];
    return Array.isArray(plain) ? plain.join('') : (plain || '');
  }).join('\\n');
}"""

_JS_PROBLEMS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const problems = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const tags = cell.model.getMetadata('tags') || [];
    if (tags.includes('raises-exception') || tags.includes('nbval-raises-exception')) return;
    const source = cell.model.sharedModel.getSource();
    if (source.includes('NBVAL_RAISES_EXCEPTION')) return;
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') {
        problems.push(`cell ${index + 1}: ${out.ename}: ${out.evalue}`);
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        const text = Array.isArray(out.text) ? out.text.join('') : out.text;
        problems.push(`cell ${index + 1} wrote to stderr: ${text.slice(0, 300)}`);
      }
    }
  });
  return problems;
}"""

_JS_READY = """(path) => {
  const panel = window.jupyterapp?.shell?.currentWidget;
  return !!panel && panel.context?.path === path &&
    panel.sessionContext?.session?.kernel?.status === 'idle';
}"""

_JS_CLOSE_ALL = """() => {
  const shell = window.jupyterapp.shell;
  for (const widget of Array.from(shell.widgets('main'))) {
    if (widget.context) widget.context.model.dirty = false;  // no "save changes?" dialog
    widget.dispose();
  }
  return !document.querySelector('.jp-Dialog') && Array.from(shell.widgets('main')).length === 0;
}"""

# Resolves once the element has kept its box for 5 animation frames (false after 600).
_JS_SETTLE = """(element) => new Promise((resolve) => {
    let last = "", same = 0, frames = 0;
    const tick = () => {
        const r = element.getBoundingClientRect();
        const now = [r.x, r.y, r.width, r.height].join(",");
        same = now === last ? same + 1 : 0;
        last = now;
        frames += 1;
        if (same >= 5 || frames > 600) resolve(same >= 5); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""

# Text a student cannot read whole: an element whose content is wider or taller than its box
# (cut off with an ellipsis, or spilling over the next line), inside any quiz on the page.
_JS_CLIPPED_TEXT = """() => {
  const found = [];
  for (const el of document.querySelectorAll(
      '.teachkit-quiz label, .teachkit-quiz button, .teachkit-quiz .widget-label-basic')) {
    if (!el.clientHeight || !el.innerText.trim()) continue;  // hidden, or no text
    const wide = el.scrollWidth > el.clientWidth + 1, tall = el.scrollHeight > el.clientHeight + 1;
    if (wide || tall) found.push(`${wide ? 'cut' : 'overflowing'}: ${el.innerText.trim()}`);
  }
  return found;
}"""

IDLE_STATUS = re.compile(r"^(?!No Kernel).+ \| Idle$")


class LabPage:
    """One notebook open in JupyterLab, driven through its menus like a student would."""

    def __init__(self, page: Any, server: LabServer, timeout_ms: float = 120_000):
        self.page = page
        self.server = server
        self.timeout_ms = timeout_ms

    def booted(self) -> bool:
        return self.page.url.startswith(self.server.base_url) and self.page.evaluate("() => !!window.jupyterapp?.shell")

    def open(self, path: str) -> LabPage:
        """Open a notebook by its course path and wait until its kernel is really idle.

        A page that already runs JupyterLab opens it in a new tab (as File > Open does), which
        saves booting the whole application again; a blank page loads JupyterLab at that path.
        """
        if self.booted():
            self.page.evaluate("(path) => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", path)
        else:
            self.page.goto(self.server.url(path))
        self.wait_for_idle_kernel(path)
        return self

    def reload(self, path: str) -> None:
        """Load the whole page again at a notebook; its kernel on the server keeps running."""
        self.page.goto(self.server.url(path))
        self.wait_for_idle_kernel(path)

    def wait_for_idle_kernel(self, path: str) -> None:
        # The toolbar indicator says idle while the status bar still says "No Kernel |
        # Initializing"; a Run All issued then runs nothing (recipes §4.5, pitfall 2).
        self.page.wait_for_function(_JS_READY, arg=path, timeout=self.timeout_ms)
        self.page.locator(".jp-StatusBar-TextItem", has_text=IDLE_STATUS).wait_for(timeout=self.timeout_ms)

    def clipped_quiz_text(self) -> list[str]:
        """Labels and buttons in the page's quizzes whose text is cut off or overflows."""
        return self.page.evaluate(_JS_CLIPPED_TEXT)

    def close_notebooks(self) -> bool:
        """Close every open document without saving (the copies are throwaway); True if the
        page is left clean: no dialog, nothing open."""
        return self.page.evaluate(_JS_CLOSE_ALL)

    def menu(self, menu: str, command: str) -> None:
        self.page.get_by_role("menuitem", name=menu, exact=True).click()
        self.page.locator(f"li.lm-Menu-item[data-command='{command}']").click()

    def run_all(self) -> None:
        """Run > Run All Cells, then wait until every code cell has run."""
        self.page.evaluate(_JS_MARK_RUN)
        self.menu("Run", "runmenu:run-all")
        self.wait_for_run()

    def restart_and_run_all(self) -> None:
        """Kernel > Restart Kernel and Run All Cells…, confirm, and wait until all cells ran."""
        self.page.evaluate(_JS_MARK_RUN)
        self.menu("Kernel", "runmenu:restart-and-run-all")
        self.page.locator(".jp-Dialog").get_by_role("button", name="Confirm Kernel Restart").click()
        self.wait_for_run()

    def wait_for_run(self, cells: list[int] | None = None) -> None:
        """Wait until the code cells (all, or the given indices) have run since the last mark."""
        self.page.wait_for_function(_JS_RUN_DONE, arg=cells, timeout=self.timeout_ms, polling=100)

    def cell(self, index: int) -> Any:
        """The cell at `index` (0-based, as in the .ipynb file)."""
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def type_into_cell(self, index: int, source: str) -> None:
        """Replace a code cell's source like a student: click into it, select all, type."""
        editor = self.cell(index).locator(".jp-InputArea-editor .cm-content")
        editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        # insert_text types the characters without key events, so the editor's
        # auto-indent and bracket closing do not change the code.
        self.page.keyboard.insert_text(source)
        self.page.keyboard.press("Escape")  # back to command mode, as after editing
        expect_source = self.page.evaluate(
            "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.getSource()", index
        )
        assert expect_source == source, f"cell {index + 1} holds {expect_source!r} after typing"

    def output_text(self, index: int) -> str:
        return self.page.evaluate(_JS_OUTPUT_TEXT, index)

    def problems(self) -> list[str]:
        """Error outputs and stderr text in the notebook, one line per problem."""
        return self.page.evaluate(_JS_PROBLEMS)

    def screenshot(self, locator: Any, name: str) -> Path:
        """Save a picture of one element (grown to fit the window if it is taller) to ARTIFACTS."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        size = self.page.viewport_size
        locator.scroll_into_view_if_needed()
        height = locator.evaluate("e => e.getBoundingClientRect().height")
        if height + 200 > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": int(height) + 300})
            locator.scroll_into_view_if_needed()
        try:
            locator.screenshot(path=str(path), animations="disabled", caret="hide")
        finally:
            if self.page.viewport_size != size:
                self.page.set_viewport_size(size)
                self.settle(locator)
        return path

    def settle(self, locator: Any) -> None:
        """Wait until `locator` keeps its place on screen for a few frames.

        After the window is resized, JupyterLab lays the notebook out again over several
        frames; a click aimed in between can land on a neighbouring option.
        """
        locator.evaluate(_JS_SETTLE, timeout=self.timeout_ms)

    def close(self) -> None:
        self.page.close()
