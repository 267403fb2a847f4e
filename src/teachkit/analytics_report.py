"""Write an item analysis for people: CSV tables, a short Markdown summary and two charts.

The numbers come from `analytics`; this module only lays them out. Charts are drawn on their own
`Figure` objects with the Agg canvas, so the report never touches pyplot's global state or needs
a display.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .analytics import DUBIOUS_EFFICIENCY, Analysis
from .charts import add_source
from .course import PALETTE

TABLES = {
    "items.csv": "one row per item: facility, SD, discrimination index, discriminative efficiency, dubious flag",
    "quizzes.csv": "one row per lesson quiz: mean, median, SD, Cronbach's alpha, standard error",
    "options.csv": "how often each option, value or match was chosen (distractor analysis)",
    "misconceptions.csv": "how many students showed each misconception",
    "students.csv": "each pseudonym's score per lesson, on the attempts analysed",
    "files.csv": "every file read, used or skipped, and why",
}
CHARTS = {
    "facility-discrimination.png": "facility index against discrimination index, one dot per item",
    "misconceptions.png": "the misconceptions shown by most students",
}
_ATTEMPT_WORDS = {"first": "first attempts", "last": "last attempts"}


def _cell(value: Any, unit: str = "", digits: int = 1) -> str:
    """A table cell for people: '—' where a statistic is undefined (the note says why)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    escape = [[str(c).replace("|", "\\|") for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in escape]


def summary_markdown(analysis: Analysis, top: int = 10) -> str:
    """The page an instructor reads first: what was counted, what to look at, what was skipped."""
    used, skipped = analysis.used_files, analysis.skipped_files
    attempts = _ATTEMPT_WORDS[analysis.attempts]
    lines = ["# Item analysis", ""]
    lines.append(
        f"Read {len(used) + len(skipped)} response file(s): {len(used)} used, "
        f"{len(skipped)} skipped{' (listed at the end)' if skipped else ''}. "
        f"The statistics use each student's {attempts[:-1]} at each item"
        f"{' (Moodle’s default)' if analysis.attempts == 'first' else ''}."
    )
    if analysis.missing == "skip":
        lines.append(
            "A lesson's quiz statistics count the students who answered every item of "
            "that lesson; students who answered only part of it appear in "
            "`facility_all_answers`, the options and the misconceptions."
        )
    else:
        lines.append(
            "Every student who answered anything in a lesson counts for it; unanswered "
            "items count as 0 marks, as in Moodle."
        )
    lines.append(
        f"Definitions follow Moodle's quiz statistics; an item is *dubious* when its "
        f"discriminative efficiency is below {DUBIOUS_EFFICIENCY:g} %, judged only with "
        f"at least {analysis.min_n} attempts."
    )
    lines.append("")

    quizzes = analysis.quizzes[analysis.quizzes["students_started"] > 0]
    lines += ["## Quizzes", ""]
    rows = [
        [
            q.lesson,
            str(q.students_started),
            str(q.n),
            _cell(q.mean, " %"),
            _cell(q.median, " %"),
            _cell(q.sd, " %"),
            _cell(q.cronbach_alpha, digits=2),
            _cell(q.standard_error, " %"),
            q.note,
        ]
        for q in quizzes.itertuples()
    ]
    lines += _markdown_table(["lesson", "started", "n", "mean", "median", "SD", "alpha", "SE", "note"], rows)
    untouched = analysis.quizzes[analysis.quizzes["students_started"] == 0]["lesson"].tolist()
    if untouched:
        lines += ["", f"No answers yet for {len(untouched)} lesson(s): {', '.join(untouched)}."]
    lines.append("")

    items = analysis.items
    lines += ["## Items to look at", ""]
    flagged = items[items["dubious"] == "yes"]
    if flagged.empty:
        lines.append("No item was flagged dubious.")
    for row in flagged.itertuples():
        lines.append(
            f"- **{row.item}** ({row.lesson}): dubious. Facility "
            f"{_cell(row.facility, ' %')}, discrimination index "
            f"{_cell(row.discrimination_index, ' %')}; {row.note}."
        )
    judged = items[items["n"] >= analysis.min_n]
    for row in judged[judged["facility"] >= 90].itertuples():
        lines.append(
            f"- {row.item} ({row.lesson}): very easy (facility "
            f"{_cell(row.facility, ' %')}); does it still teach something?"
        )
    for row in judged[judged["facility"] <= 20].itertuples():
        lines.append(
            f"- {row.item} ({row.lesson}): very hard (facility "
            f"{_cell(row.facility, ' %')}); check the options and what the lesson says."
        )
    small = items[(items["n"] > 0) & (items["n"] < analysis.min_n)]
    if not small.empty:
        lines.append(
            f"- {len(small)} item(s) have fewer than {analysis.min_n} attempts: their numbers are shown but not judged."
        )
    lines.append("")

    lines += ["## Misconceptions", ""]
    shown = analysis.misconceptions[analysis.misconceptions["students"] > 0].head(top)
    if shown.empty:
        lines.append("No wrong answer tied to a misconception was given.")
    else:
        lines.append(
            "Ranked by the share of students who showed each misconception, out of those "
            "who answered an item that can reveal it; misconceptions fewer than "
            f"{analysis.min_n} students could show come last."
        )
        lines.append("")
        rows = [
            [m.misconception, _cell(m.share, " %"), str(m.students), f"{m.could_show}", m.lessons, m.description]
            for m in shown.itertuples()
        ]
        lines += _markdown_table(
            ["misconception", "share", "students", "could show it", "lessons", "description"], rows
        )
    lines.append("")

    if analysis.unknown_items:
        listed = ", ".join(f"{k!r} ({v})" for k, v in sorted(analysis.unknown_items.items()))
        lines += [
            "## Answers to items not in the banks",
            "",
            f"Ignored answers to items the current banks do not have: {listed}. "
            "The students may have used an older version of the course.",
            "",
        ]
    if skipped:
        lines += ["## Files skipped", ""]
        lines += [f"- `{f.file}`: {f.reason}" for f in skipped]
        lines.append("")
    noted = [f for f in used if f.reason]
    if noted:
        lines += ["## Files used with remarks", ""]
        lines += [f"- `{f.file}` ({f.student}): {f.reason}" for f in noted]
        lines.append("")
    lines += ["## Files in this folder", ""]
    lines += [f"- `{name}`: {text}" for name, text in {**TABLES, **CHARTS}.items()]
    lines.append("")
    return "\n".join(lines)


def _plain(ax: Any) -> None:
    """The course's chart style without touching global settings: no top or right frame."""
    ax.spines[["top", "right"]].set_visible(False)


def _save(figure: Figure, path: Path) -> None:
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})


def facility_discrimination_chart(analysis: Analysis) -> Figure:
    """One dot per item: easy items right, items that separate strong from weak students up."""
    figure = Figure(figsize=(7.0, 4.2))
    ax = figure.add_subplot()
    items = analysis.items.dropna(subset=["facility", "discrimination_index"])
    styles = {
        "no": ("o", PALETTE[0], "fine"),
        "not judged": ("s", PALETTE[5], "too few attempts"),
        "yes": ("X", PALETTE[3], "dubious"),
    }
    for flag, (marker, colour, label) in styles.items():
        part = items[items["dubious"] == flag]
        if not part.empty:
            ax.scatter(
                part["facility"],
                part["discrimination_index"],
                marker=marker,
                s=48,
                color=colour,
                edgecolor="black",
                linewidth=0.5,
                label=f"{label} ({len(part)})",
            )
    for row in items[items["dubious"] == "yes"].itertuples():
        ax.annotate(
            row.item, (row.facility, row.discrimination_index), xytext=(4, 4), textcoords="offset points", fontsize=8
        )
    _plain(ax)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xlim(-3, 103)
    ax.set_ylim(-105, 105)
    ax.set_xlabel("Facility index (% of the item's points scored)")
    ax.set_ylabel("Discrimination index (%)")
    ax.set_title(
        f"Item difficulty and discrimination ({_ATTEMPT_WORDS[analysis.attempts]})", loc="left", fontweight="bold"
    )
    if not items.empty:
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    else:
        ax.text(50, 0, "Not enough attempts for any item yet", ha="center", va="bottom")
    add_source(
        ax,
        f"Source: {len(analysis.used_files)} student response file(s); "
        "Moodle's definitions (discrimination = correlation with the rest of the quiz).",
    )
    return figure


def misconceptions_chart(analysis: Analysis, top: int = 12) -> Figure:
    """The misconceptions shown by the largest share of students who could show them."""
    shown = analysis.misconceptions[analysis.misconceptions["students"] > 0].head(top)
    figure = Figure(figsize=(7.0, 0.9 + 0.32 * max(len(shown), 3)))
    ax = figure.add_subplot()
    if shown.empty:
        ax.text(0.5, 0.5, "No misconception shown yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        _plain(ax)
        ordered = shown.iloc[::-1]
        bars = ax.barh(ordered["misconception"], ordered["share"], color=PALETTE[0])
        labels = [f"{s} of {c}" for s, c in zip(ordered["students"], ordered["could_show"], strict=True)]
        ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
        ax.set_xlabel("Students who showed it (% of those who answered an item that can reveal it)")
        ax.set_xlim(0, 115)
    ax.set_title(f"Misconceptions on {_ATTEMPT_WORDS[analysis.attempts]}", loc="left", fontweight="bold")
    add_source(
        ax,
        f"Source: {len(analysis.used_files)} student response file(s); each wrong "
        "answer names the misconception it reveals in the quiz bank.",
    )
    return figure


def write_report(analysis: Analysis, out: Path | str) -> list[Path]:
    """Write every table, the summary and the charts into `out`; returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    frames = {
        "items.csv": analysis.items,
        "quizzes.csv": analysis.quizzes,
        "options.csv": analysis.options,
        "misconceptions.csv": analysis.misconceptions,
        "students.csv": analysis.students,
        "files.csv": pd.DataFrame(
            [vars(f) for f in analysis.files], columns=["file", "student", "status", "reason", "records"]
        ),
    }
    for name, frame in frames.items():
        frame.to_csv(out / name, index=False, na_rep="", lineterminator="\n")
        written.append(out / name)
    summary = out / "summary.md"
    summary.write_text(summary_markdown(analysis), encoding="utf-8")
    written.append(summary)
    for name, figure in (
        ("facility-discrimination.png", facility_discrimination_chart(analysis)),
        ("misconceptions.png", misconceptions_chart(analysis)),
    ):
        _save(figure, out / name)
        written.append(out / name)
    return written
