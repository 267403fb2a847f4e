"""collect: Moodle's download (both layouts) into OUT/<pseudonym>/<set>-exercises.ipynb, nothing lost."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from moodle_fixtures import CLASS, SET, download, exercise_bytes

from teachkit.cli import main
from teachkit.collect import CollectError, collect_download
from teachkit.moodle import clean_filename, parse_submission_name, submission_name
from teachkit.participants import KeyFileError, read_key

NB = f"{SET}-exercises.ipynb"


def test_names_follow_moodles_download_code() -> None:
    """Written out by hand from mod/assign/classes/downloader.php and clean_param(PARAM_FILE)."""
    assert submission_name("Jürgen O'Brien", 100234, NB) == f"Jürgen OBrien_100234_assignsubmission_file/{NB}"
    assert submission_name("Jürgen O'Brien", 100234, NB, folders=False) == (
        f"Jürgen OBrien_100234_assignsubmission_file_{NB}"
    )
    assert submission_name("Mary_Ann Smith", 7, "a_b.ipynb", folders=False) == (
        "Mary Ann Smith_7_assignsubmission_file_a_b.ipynb"
    )
    assert clean_filename('A&B <c> "d" `e` |f| g:h\\i/j') == "AB c d e f ghij"
    for name in (f"Zoë de la Cruz_101555_assignsubmission_file/{NB}", f"Participant_3_assignsubmission_file_{NB}"):
        entry = parse_submission_name(name)
        assert entry is not None and entry.filename == NB and entry.plugin == ("assignsubmission", "file")
    older = parse_submission_name(f"Anna Müller_5_assignsubmission_file_/{NB}")  # Moodle < 4.1
    assert older is not None and older.participant == "5"
    assert parse_submission_name("notes.txt") is None
    assert parse_submission_name(f"Anna_x_assignsubmission_file_{NB}") is None


@pytest.mark.parametrize("folders", [True, False])
def test_both_layouts_collect_every_participant_under_a_pseudonym(tmp_path: Path, folders: bool) -> None:
    files = [(name, pid, NB, exercise_bytes()) for name, pid in CLASS]
    archive = download(tmp_path / "download.zip", files, folders=folders)
    out, key_path = tmp_path / "submissions" / "01", tmp_path / "key.csv"
    result = collect_download(archive, SET, out, key_path)
    assert result.problems == [] and len(result.written) == 3
    key = read_key(key_path)
    for _, pid in CLASS:
        pseudonym = key.pseudonym_for(SET, str(pid))
        assert pseudonym and (out / pseudonym / NB).read_bytes() == exercise_bytes()
    text = key_path.read_text(encoding="utf-8")
    for name, _ in CLASS:  # never a name in the key, in no spelling
        for part in name.replace("'", " ").split():
            assert part.lower() not in text.lower() or len(part) < 3, part
    assert sorted(p.name for p in out.iterdir()) == sorted(key.pseudonyms())


def test_the_next_set_reuses_pseudonyms_although_moodle_ids_change(tmp_path: Path) -> None:
    key_path = tmp_path / "key.csv"
    first = download(tmp_path / "a.zip", [(n, pid, NB, exercise_bytes()) for n, pid in CLASS])
    collect_download(first, SET, tmp_path / "s01", key_path)
    other_set = "02-internal-communication"
    nb2 = f"{other_set}-exercises.ipynb"
    second = download(
        tmp_path / "b.zip",
        [(n, pid + 5000, nb2, exercise_bytes(other_set)) for n, pid in CLASS]
        + [("Neu Hinzugekommen", 909090, nb2, exercise_bytes(other_set))],
    )
    result = collect_download(second, other_set, tmp_path / "s02", key_path)
    assert result.problems == []
    key = read_key(key_path)
    for _, pid in CLASS:
        assert key.pseudonym_for(other_set, str(pid + 5000)) == key.pseudonym_for(SET, str(pid))
    assert key.pseudonym_for(other_set, "909090") not in {key.pseudonym_for(SET, str(p)) for _, p in CLASS}


def test_every_file_not_collected_is_reported_with_what_to_do(tmp_path: Path) -> None:
    other = "02-internal-communication"
    files = [
        ("Anna-Lena Müller", 1, NB, exercise_bytes()),
        ("Anna-Lena Müller", 1, "notes.docx", b"PK..."),  # a non-notebook beside a good one
        ("Bernd Bäcker", 2, "essay.pdf", b"%PDF"),  # no notebook at all
        ("Clara Schön", 3, NB, exercise_bytes()),
        ("Clara Schön", 3, f"copy of {NB}", exercise_bytes()),  # several notebooks
        ("Dieter d'Alembert", 4, f"{other}-exercises.ipynb", exercise_bytes(other)),  # another set
        ("Emma Ölz", 5, NB, b"{not json"),  # unreadable
    ]
    archive = download(tmp_path / "d.zip", files)
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("Frank Fuchs_6_assignsubmission_onlinetext/onlinetext.html", "<p>hi</p>")
    result = collect_download(archive, SET, tmp_path / "out", tmp_path / "key.csv")
    text = "\n".join(result.problems)
    assert "participant 1: 'notes.docx' is not a notebook" in text
    assert "participant 2: 'essay.pdf' is not a notebook" in text and "participant 2: no notebook of set" in text
    assert "participant 3: several notebooks" in text and "none collected" in text
    assert f"participant 4: '{other}-exercises.ipynb' is a notebook of another set ({other})" in text
    assert (
        "participant 5: 'notebook' is" not in text and "participant 5: " in text and "not a readable notebook" in text
    )
    assert "participant 6: 'onlinetext.html' is not a notebook" in text
    assert len(result.written) == 1  # only Anna-Lena's notebook
    assert all(line.count("\n") == 0 for line in result.problems)


def test_bad_archives_and_keys_stop_before_anything_is_written(tmp_path: Path) -> None:
    out, key_path = tmp_path / "out", tmp_path / "key.csv"
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr(f"A_1_assignsubmission_file/{NB}", exercise_bytes())
        zf.writestr(f"A_1_assignsubmission_file/../../../{NB}", exercise_bytes())
    with pytest.raises(CollectError, match="outside the target folder"):
        collect_download(evil, SET, out, key_path)
    assert not out.exists() and not key_path.exists()
    not_zip = tmp_path / "grades.csv"
    not_zip.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(CollectError, match="not a zip archive"):
        collect_download(not_zip, SET, out, key_path)
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("homework/answer.ipynb", exercise_bytes())
    with pytest.raises(CollectError, match="no file in it is named like Moodle"):
        collect_download(foreign, SET, out, key_path)
    twice = download(tmp_path / "twice.zip", [("Anna A", 1, NB, exercise_bytes()), ("Bert B", 1, "x.ipynb", b"{}")])
    result = collect_download(twice, SET, out, key_path)
    assert any("participant id 1 appears under 2 different names" in p for p in result.problems)
    with pytest.raises(CollectError, match="must not lie inside"):
        collect_download(twice, SET, out, out / "key.csv")
    key_path.write_text("pseudonym,set,participant,fingerprint\nblue-fox-1,s,11,\nblue-fox-1,s,12,\n", encoding="utf-8")
    with pytest.raises(KeyFileError, match=r"line 3: pseudonym 'blue-fox-1' already stands for participant 11"):
        collect_download(twice, SET, out, key_path)


def test_nothing_is_overwritten_without_force_and_force_keeps_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out, key_path = tmp_path / "out", tmp_path / "key.csv"
    first = download(tmp_path / "1.zip", [("Anna A", 1, NB, exercise_bytes())])
    assert main(["collect", str(first), "--set", SET, "--out", str(out), "--key", str(key_path)]) == 0
    pseudonym = read_key(key_path).pseudonym_for(SET, "1")
    target = out / pseudonym / NB
    target.write_bytes(b'{"cells": [], "hand": "graded"}')
    assert main(["collect", str(first), "--set", SET, "--out", str(out), "--key", str(key_path)]) == 1
    assert "already collected with other content; kept. Add --force" in capsys.readouterr().err
    assert b"hand" in target.read_bytes()
    assert main(["collect", str(first), "--set", SET, "--out", str(out), "--key", str(key_path), "--force"]) == 0
    assert target.read_bytes() == exercise_bytes()
    backups = list(target.parent.glob(f"{NB}.backup-*"))
    assert len(backups) == 1 and b"hand" in backups[0].read_bytes()
    rows = list(csv.DictReader(key_path.open(encoding="utf-8")))
    assert [r["participant"] for r in rows] == ["1"]


def test_a_name_written_another_way_still_finds_its_pseudonym(tmp_path: Path) -> None:
    """Decomposed umlauts (as some zip tools store them), other case and spacing: the same person."""
    import unicodedata

    key_path = tmp_path / "key.csv"
    collect_download(
        download(tmp_path / "a.zip", [("Jürgen O'Brien", 1, NB, exercise_bytes())]), SET, tmp_path / "a", key_path
    )
    other = "02-internal-communication"
    nfd = unicodedata.normalize("NFD", "JÜRGEN  o'brien")
    archive = download(tmp_path / "b.zip", [(nfd, 2, f"{other}-exercises.ipynb", exercise_bytes(other))])
    collect_download(archive, other, tmp_path / "b", key_path)
    key = read_key(key_path)
    assert key.pseudonym_for(other, "2") == key.pseudonym_for(SET, "1")
    rows = list(csv.DictReader(key_path.open(encoding="utf-8")))
    assert len({r["fingerprint"] for r in rows}) == 1  # one person, one fingerprint on every line
