"""Quizzes: `quiz.show("item-a", "item-b")` in a lesson, `quiz.answer("item-a", value)` anywhere else."""

from __future__ import annotations

from .bank import BankError, bank_schema, check_banks, read_bank, read_banks
from .model import Bank, Result, Text, score_answer
from .session import answer, catalogue, entry, submit

__all__ = [
    "Bank",
    "BankError",
    "Result",
    "Text",
    "answer",
    "bank_schema",
    "catalogue",
    "check_banks",
    "entry",
    "read_bank",
    "read_banks",
    "score_answer",
    "show",
    "submit",
]


def show(*item_ids: str):
    """Display the given items as one quiz with a score line. Ids come from the quizzes/ banks."""
    from .widget import QuizSet  # imported here so the pure parts never need ipywidgets

    if not item_ids:
        raise ValueError("quiz.show() needs at least one item id, e.g. quiz.show('cohort-boundary').")
    return QuizSet(list(item_ids))
