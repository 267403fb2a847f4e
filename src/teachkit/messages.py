"""Every fixed sentence a student reads, in English and German, in one table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from .course import language

T = TypeVar("T")

MESSAGES: dict[str, dict[str, str]] = {
    "check": {"en": "Check", "de": "Prüfen"},
    "try_again": {"en": "Try again", "de": "Nochmal versuchen"},
    "check_tooltip": {"en": "Check your answer", "de": "Antwort prüfen"},
    "try_again_tooltip": {
        "en": "Clear your answer and the feedback",
        "de": "Antwort und Rückmeldung löschen",
    },
    "answer_label": {"en": "Your answer", "de": "Ihre Antwort"},
    "number_placeholder": {"en": "a number, e.g. 0.5 or 50 %", "de": "eine Zahl, z. B. 0,5 oder 50 %"},
    "text_placeholder": {"en": "type your answer", "de": "Antwort eingeben"},
    "choose": {"en": "(choose)", "de": "(auswählen)"},
    "true": {"en": "True", "de": "Wahr"},
    "false": {"en": "False", "de": "Falsch"},
    "correct": {"en": "✔ Correct.", "de": "✔ Richtig."},
    "partly": {"en": "◐ Partly right.", "de": "◐ Teilweise richtig."},
    "wrong": {"en": "✘ Not quite.", "de": "✘ Noch nicht."},
    "invalid": {"en": "⚠ That answer could not be read.", "de": "⚠ Diese Antwort ist nicht lesbar."},
    "unanswered": {"en": "Nothing chosen yet.", "de": "Noch nichts ausgewählt."},
    "why": {"en": "Why", "de": "Warum"},
    "see": {"en": "Read again", "de": "Noch einmal lesen"},
    "points": {"en": "{score:g} of {max:g} points", "de": "{score:g} von {max:g} Punkten"},
    "point": {"en": "{score:g} of 1 point", "de": "{score:g} von 1 Punkt"},
    "score_line": {
        "en": "Score: {score:g} of {max:g} points · {answered} of {total} questions answered",
        "de": "Punkte: {score:g} von {max:g} · {answered} von {total} Fragen beantwortet",
    },
    "answer_changed": {
        "en": "You changed your answer after it was checked. Press Check to get feedback on the new one.",
        "de": "Sie haben Ihre Antwort nach dem Prüfen geändert. Drücken Sie Prüfen für eine Rückmeldung zur neuen.",
    },
    "kernel_gone": {
        "en": "The kernel has stopped, so this quiz cannot check answers any more. Run this cell again"
        " (or Run All); your saved answers are kept.",
        "de": "Der Kernel läuft nicht mehr, daher kann dieses Quiz keine Antworten mehr prüfen. Führen Sie"
        " diese Zelle erneut aus (oder alle Zellen); Ihre gespeicherten Antworten bleiben erhalten.",
    },
    "restored": {
        "en": "Your saved answer from an earlier run is shown.",
        "de": "Ihre gespeicherte Antwort aus einem früheren Durchlauf wird angezeigt.",
    },
    "not_a_number": {
        "en": "Type a number such as 0.5, 0,5 or 50 %.",
        "de": "Geben Sie eine Zahl ein, etwa 0,5 oder 50 %.",
    },
    "percent_not_allowed": {
        "en": "This question does not ask for a percentage: type the number without %.",
        "de": "Hier ist kein Prozentwert gefragt: Geben Sie die Zahl ohne % ein.",
    },
    "choose_one": {
        "en": "Choose one of the options.",
        "de": "Wählen Sie eine der Antworten.",
    },
    "unknown_option": {
        "en": "{value!r} is not one of the options.",
        "de": "{value!r} ist keine der Antwortmöglichkeiten.",
    },
    "choose_true_false": {
        "en": "Answer True or False.",
        "de": "Antworten Sie mit Wahr oder Falsch.",
    },
    "type_text": {"en": "Type a short text answer.", "de": "Geben Sie eine kurze Antwort ein."},
    "match_all": {
        "en": "Match every item on the left to one option.",
        "de": "Ordnen Sie jedem Eintrag links eine Antwort zu.",
    },
    "pair_right": {"en": "{left} → {right}: right.", "de": "{left} → {right}: richtig."},
    "pair_wrong": {"en": "{left} → {right}: not right.", "de": "{left} → {right}: nicht richtig."},
    "pair_missing": {"en": "{left}: not matched yet.", "de": "{left}: noch nicht zugeordnet."},
    "mc_missed": {
        "en": "You left out a correct option.",
        "de": "Sie haben eine richtige Antwort ausgelassen.",
    },
    "mc_rule": {
        "en": "Each correct option you tick earns a share of the point; each wrong one costs a share.",
        "de": "Jede richtige Antwort bringt einen Teil des Punktes; jede falsche kostet einen Teil.",
    },
    "quiz_plain": {
        "en": "Quiz. Run this cell in JupyterLab to answer these questions:",
        "de": "Quiz. Führen Sie diese Zelle in JupyterLab aus, um diese Fragen zu beantworten:",
    },
    "question_n": {"en": "Question {n}", "de": "Frage {n}"},
    "static_show": {"en": "Show answer and why", "de": "Antwort und Begründung zeigen"},
    "static_note": {
        "en": "Self-check. In JupyterLab this quiz is interactive and saves your answers; "
        "here you can open each answer.",
        "de": "Selbsttest. In JupyterLab ist dieses Quiz interaktiv und speichert Ihre Antworten; "
        "hier können Sie jede Antwort aufklappen.",
    },
    "static_choose_one": {"en": "Choose one.", "de": "Wählen Sie eine Antwort."},
    "static_choose_all": {"en": "Choose all that apply.", "de": "Wählen Sie alle zutreffenden Antworten."},
    "static_type_number": {"en": "Type a number.", "de": "Geben Sie eine Zahl ein."},
    "static_options": {"en": "Options:", "de": "Antwortmöglichkeiten:"},
}


def in_language(choices: Mapping[str, T], lang: str | None = None) -> T:
    """The entry of `choices` (keyed by language) for `lang`, by default the course language;
    English when there is none. The one place that decides which language a text appears in,
    for the engine's messages and for the texts course tools keep next to their views."""
    return choices.get(lang or language(), choices["en"])


def msg(key: str, lang: str | None = None, **fields: object) -> str:
    """Return the message `key` in `lang` (default: the course language), with fields filled in."""
    text = in_language(MESSAGES[key], lang)
    return text.format(**fields) if fields else text
