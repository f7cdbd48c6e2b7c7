"""Survey definitions: the built-in 2013 questionnaire and the TOML file organisers can send.

A file looks like the template below: ``title``, optional ``intro`` and ``identified`` (the
survey tells members their name goes with their answers), then ``[[questions]]`` with ``key``,
``kind``, ``prompt``, an optional short ``label`` (charts, exports) and, for single/multiple
choice, ``options``. Satisfaction and score questions get their fixed options (the 4-step
French scale, 0 to 10).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

SATISFACTION_SCALE = (
    "Tout à fait satisfait·e",
    "Plutôt satisfait·e",
    "Plutôt pas satisfait·e",
    "Pas du tout satisfait·e",
)
SCORE_SCALE = tuple(str(n) for n in range(11))
KINDS = ("satisfaction", "single", "multiple", "score", "text")
POLL_KINDS = frozenset({"satisfaction", "single", "multiple", "score"})
# Telegram polls: question 1-300 characters, 2-12 options of 1-100 characters (TELEGRAM.md);
# the prompt leaves room for the « 3/8 · » prefix.
MAX_PROMPT, MAX_OPTION, MAX_OPTIONS, MAX_QUESTIONS = 288, 100, 12, 30
KEY = re.compile(r"^[a-z0-9_]{1,64}$")

TEMPLATE_2013 = """
title = "Rencontre Innov'Deizh : ton avis"
intro = "Le questionnaire de bilan de la rencontre, comme en 2013 : deux minutes, huit questions."

[[questions]]
key = "overall"
label = "Ressenti global"
kind = "satisfaction"
prompt = "Globalement, es-tu satisfait·e de la rencontre ?"

[[questions]]
key = "new_edition"
label = "Nouvelle édition"
kind = "single"
prompt = "Souhaites-tu une nouvelle édition ?"
options = ["Oui, c'est une nécessité", "Oui, ce serait bien", "Ça m'est égal", "Non"]

[[questions]]
key = "opening_plenary"
label = "Plénière d'ouverture"
kind = "satisfaction"
prompt = "La plénière d'ouverture t'a-t-elle satisfait·e ?"

[[questions]]
key = "labs"
label = "Laboratoires"
kind = "satisfaction"
prompt = "Les laboratoires d'innovation sociale t'ont-ils satisfait·e ?"

[[questions]]
key = "networking_lunch"
label = "Déjeuner réseautage"
kind = "satisfaction"
prompt = "Le déjeuner réseautage t'a-t-il satisfait·e ?"

[[questions]]
key = "closing_plenary"
label = "Plénière de clôture"
kind = "satisfaction"
prompt = "La plénière de clôture t'a-t-elle satisfait·e ?"

[[questions]]
key = "organisation"
label = "Organisation"
kind = "satisfaction"
prompt = "L'organisation de la journée t'a-t-elle satisfait·e ?"

[[questions]]
key = "comments"
label = "Commentaires"
kind = "text"
prompt = "Un commentaire, une idée pour la prochaine fois ?"
"""

TEMPLATES = {"2013": TEMPLATE_2013}


class SurveySpecError(ValueError):
    """The file does not describe a valid survey; the message says what to fix."""


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    prompt: str
    label: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveySpec:
    title: str
    intro: str
    identified: bool
    questions: tuple[QuestionSpec, ...]


def template(name: str = "2013") -> SurveySpec:
    """A built-in questionnaire (the 2013 one by default)."""
    return parse_spec(TEMPLATES[name])


def parse_spec(source: str) -> SurveySpec:
    """Read a survey file; raises SurveySpecError naming the first problem found."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise SurveySpecError(f"TOML: {exc}") from exc
    title = str(data.get("title", "")).strip()
    if not title or len(title) > 200:
        raise SurveySpecError("title: 1 to 200 characters")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not 1 <= len(raw_questions) <= MAX_QUESTIONS:
        raise SurveySpecError(f"questions: 1 to {MAX_QUESTIONS} [[questions]] tables")
    questions = tuple(_question(n, raw) for n, raw in enumerate(raw_questions, 1))
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise SurveySpecError("questions: each key must be unique")
    return SurveySpec(
        title=title,
        intro=str(data.get("intro", "")).strip(),
        identified=bool(data.get("identified", False)),
        questions=questions,
    )


def _question(number: int, raw: object) -> QuestionSpec:
    where = f"question {number}"
    if not isinstance(raw, dict):
        raise SurveySpecError(f"{where}: must be a table")
    key, kind = str(raw.get("key", "")), str(raw.get("kind", ""))
    prompt = str(raw.get("prompt", "")).strip()
    if not KEY.match(key):
        raise SurveySpecError(f"{where}: key must be a-z, 0-9 or _ (64 at most)")
    if kind not in KINDS:
        raise SurveySpecError(f"{where}: kind must be one of {', '.join(KINDS)}")
    if not 1 <= len(prompt) <= MAX_PROMPT:
        raise SurveySpecError(f"{where}: prompt of 1 to {MAX_PROMPT} characters")
    label = str(raw.get("label", "")).strip()[:MAX_OPTION] or key.replace("_", " ").capitalize()
    if kind == "satisfaction":
        return QuestionSpec(key, kind, prompt, label, SATISFACTION_SCALE)
    if kind == "score":
        return QuestionSpec(key, kind, prompt, label, SCORE_SCALE)
    if kind == "text":
        return QuestionSpec(key, kind, prompt, label)
    options = raw.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        raise SurveySpecError(f"{where}: 2 to {MAX_OPTIONS} options")
    choices = tuple(str(option).strip() for option in options)
    if any(not 1 <= len(choice) <= MAX_OPTION or "\n" in choice for choice in choices):
        raise SurveySpecError(f"{where}: each option 1 to {MAX_OPTION} characters, one line")
    return QuestionSpec(key, kind, prompt, label, choices)
