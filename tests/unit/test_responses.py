"""The answer log: atomic writes, survival of a killed writer, corrupt files, restore, concurrency."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from teachkit.responses import ResponseLog, ResponsesWarning, check_pseudonym

ROOT = Path(__file__).resolve().parents[2]


def record(item: str = "q1", **extra) -> dict:
    return {"item": item, "answer": 1, "status": "correct", "score": 1.0, "max_score": 1.0, **extra}


def test_append_numbers_attempts_per_item_and_stamps_time(tmp_path):
    log = ResponseLog(tmp_path / "responses.json")
    log.append(record("q1"))
    log.append(record("q2"))
    third = log.append(record("q1", status="wrong"))
    assert third["attempt"] == 2 and third["time"].endswith("+00:00")
    assert [r["attempt"] for r in log.records()] == [1, 1, 2]
    assert log.last("q1")["status"] == "wrong"
    assert log.last("missing") is None


def test_write_leaves_no_temporary_files(tmp_path):
    log = ResponseLog(tmp_path / "responses.json")
    for i in range(5):
        log.append(record(f"q{i}"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["responses.json", "responses.json.lock"]
    data = json.loads((tmp_path / "responses.json").read_text(encoding="utf-8"))
    assert data["format"] == "teachkit-responses" and len(data["records"]) == 5


def test_record_without_item_is_refused(tmp_path):
    with pytest.raises(ValueError, match="needs an 'item' id"):
        ResponseLog(tmp_path / "r.json").append({"answer": 1})


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"format": "other", "records": []}',
        '{"format": "teachkit-responses", "records": [{"no": 1}]}',
        "[]",
    ],
)
def test_corrupt_file_is_moved_aside_with_a_warning(tmp_path, content):
    path = tmp_path / "responses.json"
    path.write_text(content, encoding="utf-8")
    log = ResponseLog(path)
    with pytest.warns(ResponsesWarning, match="moved to responses.corrupt-"):
        assert log.records() == []
    [aside] = tmp_path.glob("responses.corrupt-*.json")
    assert aside.read_text(encoding="utf-8") == content  # nothing discarded
    log.append(record())
    assert len(log.records()) == 1


KILLED_MID_WRITE = textwrap.dedent("""
    import json, os, signal, sys
    from teachkit.responses import ResponseLog
    log = ResponseLog(sys.argv[1])
    real_dump = json.dump
    def dump_then_die(obj, handle, **kw):
        text = json.dumps(obj, **kw)
        handle.write(text[: len(text) // 2])   # half the new file is on disk ...
        handle.flush(); os.fsync(handle.fileno())
        os.kill(os.getpid(), signal.SIGKILL)   # ... when the kernel dies
    json.dump = dump_then_die
    log.append({"item": "q-new", "answer": 2})
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_writer_killed_mid_write_leaves_the_previous_file_readable(tmp_path):
    path = tmp_path / "responses.json"
    log = ResponseLog(path)
    for i in range(3):
        log.append(record(f"q{i}"))
    before = path.read_text(encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(path)], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    assert path.read_text(encoding="utf-8") == before
    assert [r["item"] for r in ResponseLog(path).records()] == ["q0", "q1", "q2"]


WRITER = textwrap.dedent("""
    import sys
    from teachkit.responses import ResponseLog
    log = ResponseLog(sys.argv[1])
    for i in range(int(sys.argv[3])):
        log.append({"item": sys.argv[2], "answer": i, "blob": "x" * 5000})
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_writer_killed_at_random_moments_never_corrupts_the_file(tmp_path):
    path = tmp_path / "responses.json"
    seen = 0
    for delay in (0.0, 0.02, 0.05):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "q", "100000"], cwd=ROOT)
        deadline = time.monotonic() + 60
        while len(ResponseLog(path).records()) <= seen and time.monotonic() < deadline:
            time.sleep(0.005)  # wait until this writer is really writing
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        records = ResponseLog(path).records()  # would warn and move aside if unreadable
        assert len(records) > seen
        seen = len(records)
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_two_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "responses.json"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), item, "40"], cwd=ROOT) for item in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    records = ResponseLog(path).records()
    for item in ("a", "b"):
        mine = [r for r in records if r["item"] == item]
        assert [r["answer"] for r in mine] == list(range(40))
        assert [r["attempt"] for r in mine] == list(range(1, 41))


def test_export_writes_one_file_under_a_pseudonym(tmp_path):
    log = ResponseLog(tmp_path / "responses.json")
    log.append(record("q1"))
    out = tmp_path / "hand-in" / "blue-falcon-17.json"
    assert log.export("blue-falcon-17", out) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "teachkit-responses-export"
    assert data["student"] == "blue-falcon-17" and data["records"][0]["item"] == "q1"


@pytest.mark.parametrize("name", ["", "   ", "../etc/passwd", "a" * 41, "Anna Müller"])
def test_unsafe_pseudonyms_are_refused_with_advice(name):
    with pytest.raises(ValueError, match="cannot be used as a pseudonym"):
        check_pseudonym(name)


def test_export_cli(tmp_path):
    path = tmp_path / "responses.json"
    ResponseLog(path).append(record())
    out = tmp_path / "me.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "teachkit",
            "export-responses",
            "--name",
            "me",
            "--out",
            str(out),
            "--responses",
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "Wrote 1 answer(s)" in done.stdout and "nothing was sent" in done.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "teachkit",
            "export-responses",
            "--name",
            "a b",
            "--out",
            str(out),
            "--responses",
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 1 and "pseudonym" in bad.stderr
