"""Load quiz banks from YAML and check them, with one precise message per problem.

A message always names the file, the item and the field, e.g.
``quizzes/01-digital-natives.yaml, item 'cohort-boundary', option 3: wrong option has no feedback``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..course import course_root
from .model import ITEM_TYPES, LEVELS, Bank, Matching, MultipleChoice, Numeric, SingleChoice

SEE_PATTERN = re.compile(r"^\d\d-[a-z0-9]+(-[a-z0-9]+)*(#\S+)?$")


class BankError(ValueError):
    """One or more problems in quiz banks; `messages` holds one line per problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """A YAML loader that refuses a key given twice (plain YAML keeps the last one silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


_CUTTABLE_KEYS = {"en", "de", "accepted"}  # texts a student reads or types
_INLINE_COMMENT = re.compile(r"\s#")


def _texts_cut_by_comments(text: str) -> list[tuple[int, str]]:
    """(line, key) of every unquoted student-facing text that a ` #` cuts short.

    YAML reads `en: Use #hashtags wisely` as "Use" plus a comment; nothing else notices the loss.
    """
    if not _INLINE_COMMENT.search(text):
        return []
    lines = text.splitlines()
    found: list[tuple[int, str]] = []

    def visit(node: yaml.Node, key: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                visit(value, str(key_node.value))
        elif isinstance(node, yaml.SequenceNode):
            for value in node.value:
                visit(value, key)
        elif not node.style and node.tag == "tag:yaml.org,2002:str" and key in _CUTTABLE_KEYS:
            end = node.end_mark
            rest = lines[end.line][end.column :] if end.line < len(lines) else ""
            if rest.lstrip().startswith("#"):
                found.append((end.line + 1, key))

    visit(yaml.compose(text, Loader=_UniqueKeyLoader), "")
    return found


def display_path(path: Path) -> str:
    """The path as a person would type it: relative to the course folder when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(course_root(path.parent)).as_posix()
    except (ValueError, RuntimeError):
        return path.as_posix()


def _where(raw: dict, loc: tuple) -> str:
    """Turn a pydantic error location into 'item 'x', option 3, feedback.de'."""
    parts: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "items" and isinstance(rest[1], int):
        index = rest[1]
        items = raw.get("items") or []
        item = items[index] if index < len(items) and isinstance(items[index], dict) else {}
        parts.append(f"item {item['id']!r}" if isinstance(item.get("id"), str) else f"item {index + 1}")
        rest = rest[2:]
        if rest and rest[0] in ITEM_TYPES:
            rest = rest[1:]
    fields: list[str] = []
    for key in rest:
        if isinstance(key, int) and fields and fields[-1] in ("options", "pairs", "traps", "distractors", "accepted"):
            label = fields.pop().rstrip("s")
            parts.extend([*([".".join(fields)] if fields else []), f"{label} {key + 1}"])
            fields = []
        else:
            fields.append(str(key))
    if fields:
        parts.append(".".join(fields))
    return ", ".join(parts)


def _explain(error: dict) -> str:
    kind, loc = error["type"], error["loc"]
    last = loc[-1] if loc else ""
    if kind == "missing" and last == "de":
        return "German text is missing (add a 'de:' line beside 'en:')"
    if kind == "missing" and last == "en":
        return "English text is missing (add an 'en:' line beside 'de:')"
    if last == "level" and kind in ("missing", "literal_error"):
        given = "missing" if kind == "missing" else f"{error['input']!r} is not a level"
        return (
            f"{given}; give what the item asks the student to do, one of {', '.join(LEVELS)} "
            "(see docs/authoring-guide.md, 'Add a quiz item')"
        )
    if kind == "missing":
        return f"required field {last!r} is missing"
    if kind == "extra_forbidden":
        return f"unknown field {last!r} (check its spelling against quizzes/schema.json)"
    if kind == "union_tag_invalid":
        return f"unknown type {error['input'].get('type')!r}: use one of {', '.join(ITEM_TYPES)}"
    if kind == "union_tag_not_found":
        return f"no 'type' given: use one of {', '.join(ITEM_TYPES)}"
    if kind == "string_pattern_mismatch":
        return (
            f"{error['input']!r} is not a valid id: use lower-case letters, digits and single "
            "hyphens, e.g. 'cohort-boundary'"
        )
    if kind in ("greater_than_equal", "greater_than") and isinstance(last, str) and "tolerance" in last:
        return f"tolerance must be 0 or more, not {error['input']!r}"
    return error["msg"][0].lower() + error["msg"][1:]


def _semantic_problems(bank: Bank, where: str, stem: str) -> list[str]:
    """Rules a schema cannot express: one correct answer, feedback on every wrong one, and so on."""
    problems: list[str] = []
    if bank.lesson != stem:
        problems.append(f"{where}: lesson is {bank.lesson!r} but the file is named {stem!r}; make them match")
    used: set[str] = set()
    seen_ids: set[str] = set()
    for item in bank.items:
        at = f"{where}, item {item.id!r}"
        if item.id in seen_ids:
            problems.append(f"{at}: id used twice in this bank; ids must be unique")
        seen_ids.add(item.id)
        if not SEE_PATTERN.match(item.see):
            problems.append(
                f"{at}, see: {item.see!r} should point to a lesson section, e.g. '01-digital-natives#cohorts'"
            )
        if isinstance(item, (SingleChoice, MultipleChoice)):
            n_correct = sum(o.correct for o in item.options)
            if isinstance(item, SingleChoice) and n_correct != 1:
                problems.append(f"{at}: single choice needs exactly one correct option, found {n_correct}")
            if isinstance(item, MultipleChoice) and n_correct == 0:
                problems.append(f"{at}: multiple choice needs at least one correct option")
            texts = [o.text.en.strip().casefold() for o in item.options]
            for number, option in enumerate(item.options, start=1):
                if texts.count(texts[number - 1]) > 1:
                    problems.append(f"{at}, option {number}: the same text appears twice")
                if option.correct:
                    continue
                if option.feedback is None:
                    problems.append(f"{at}, option {number}: wrong option has no feedback")
                if option.misconception is None:
                    problems.append(f"{at}, option {number}: wrong option has no misconception id")
                used.add(option.misconception or "")
        elif isinstance(item, Numeric):
            if (item.value is None) == (item.range is None):
                problems.append(f"{at}: give either 'value' (with a tolerance) or 'range', not both or neither")
            if item.range is not None and item.range[0] > item.range[1]:
                problems.append(
                    f"{at}, range: the lower bound {item.range[0]} is above the upper bound {item.range[1]}"
                )
            for number, trap in enumerate(item.traps, start=1):
                if item.accepts(trap.value):
                    problems.append(
                        f"{at}, trap {number}: {trap.value} is accepted as right, so this trap can never fire"
                    )
        elif isinstance(item, Matching):
            lefts = [p.left.en.strip().casefold() for p in item.pairs]
            rights = [t.en.strip().casefold() for t in item.right_options]
            if len(set(lefts)) != len(lefts):
                problems.append(f"{at}, pairs: two pairs have the same left-hand text")
            if len(set(rights)) != len(rights):
                problems.append(f"{at}, pairs: right-hand options must all differ, or a match is ambiguous")
        for attr in ("misconception",):
            value = getattr(item, attr, None)
            if value:
                used.add(value)
        for part in getattr(item, "traps", []) + getattr(item, "pairs", []):
            used.add(part.misconception)
    used.discard("")
    for missing in sorted(used - set(bank.misconceptions)):
        problems.append(
            f"{where}, misconceptions: {missing!r} is used by a wrong answer but not "
            "described; add it under 'misconceptions:'"
        )
    for unused in sorted(set(bank.misconceptions) - used):
        problems.append(
            f"{where}, misconceptions: {unused!r} is described but no wrong answer uses it; "
            "remove it or tie a wrong answer to it"
        )
    return problems


def read_bank(path: Path | str) -> Bank:
    """Read and check one bank file; raise BankError listing every problem found."""
    path = Path(path)
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError([f"{where}: no such file"]) from None
    except UnicodeDecodeError as problem:
        raise BankError([f"{where}: not UTF-8 text ({problem.reason}); save it as UTF-8"]) from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        reason = getattr(problem, "problem", None) or str(problem)
        raise BankError([f"{where}{line}: not valid YAML ({reason})"]) from None
    cut = _texts_cut_by_comments(text)
    if cut:
        raise BankError(
            [
                f"{where}, line {line}: the {key!r} text stops at ' #' because YAML reads the rest as a comment; "
                "put the whole text in quotes"
                for line, key in cut
            ]
        )
    if not isinstance(raw, dict):
        raise BankError([f"{where}: a bank must be a mapping with 'lesson', 'title', 'misconceptions' and 'items'"])
    try:
        bank = Bank.model_validate(raw)
    except ValidationError as problem:
        messages = []
        for error in problem.errors():
            place = _where(raw, tuple(error["loc"]))
            messages.append(f"{where}{', ' + place if place else ''}: {_explain(error)}")
        raise BankError(messages) from None
    problems = _semantic_problems(bank, where, path.stem)
    if problems:
        raise BankError(problems)
    return bank


def bank_paths(root: Path | None = None) -> list[Path]:
    """All bank files of the course, in lesson order."""
    return sorted((root or course_root()).joinpath("quizzes").glob("*.yaml"))


def read_banks(paths: Iterable[Path | str] | None = None) -> dict[str, Bank]:
    """Read several banks and check that item ids are unique across all of them."""
    paths = [Path(p) for p in (bank_paths() if paths is None else paths)]
    banks: dict[str, Bank] = {}
    messages: list[str] = []
    owner: dict[str, str] = {}
    for path in paths:
        try:
            bank = read_bank(path)
        except BankError as problem:
            messages.extend(problem.messages)
            continue
        banks[display_path(path)] = bank
        for item in bank.items:
            if item.id in owner and owner[item.id] != display_path(path):
                messages.append(
                    f"{display_path(path)}, item {item.id!r}: id already used in "
                    f"{owner[item.id]}; ids must be unique across all banks"
                )
            owner.setdefault(item.id, display_path(path))
    if messages:
        raise BankError(messages)
    return banks


def check_banks(paths: Iterable[Path | str] | None = None) -> list[str]:
    """Every problem in the given banks (all of the course's by default); empty when all is well."""
    try:
        read_banks(paths)
    except BankError as problem:
        return problem.messages
    return []


def bank_schema() -> dict[str, Any]:
    """The JSON Schema of a bank file, generated from the models (editors use it for completion)."""
    schema = Bank.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "teachkit quiz bank",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(bank_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
