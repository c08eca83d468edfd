"""The shape of the practitioners' corpus (corpus_project.yaml), checked before anything reads it.

This test checks that every entry is well formed, names known fields and values, and that the
corpus covers what it must (its size, every kind of output and data, ten trades or more). The
entries about people, rates, money and labels are then driven through a Conversation, as
tests/chat/test_corpus.py does for corpus.yaml (see :func:`test_a_line_of_people_money_or_labels`);
the task, output, data and domain entries are driven once the chat reads those fields.

The known fields and values are today's questions (knowledge/questions.yaml) and cost
assumptions (knowledge/costs.yaml), the outputs, kinds of data and domains the task reader
knows (advisor/kb/vocabulary.py), and the rest of the new project model written out below.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.chat.conversation import Conversation
from advisor.chat.modes import Confirming
from advisor.chat.replies import Reply, Said, Unclear
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase, vocabulary
from advisor.kb.fields import PER_WEEK

HERE = Path(__file__).parent
KNOWLEDGE = HERE.parent.parent / "knowledge"
CORPUS = yaml.safe_load((HERE / "corpus_project.yaml").read_text(encoding="utf-8"))
LINES: list[dict[str, Any]] = CORPUS["lines"]
CONVERSATIONS: list[dict[str, Any]] = CORPUS["conversations"]

QUESTIONS = yaml.safe_load((KNOWLEDGE / "questions.yaml").read_text(encoding="utf-8"))["questions"]
QUESTION_IDS = {question["id"] for question in QUESTIONS}
CHOICES = {
    question["id"]: {choice["value"] for choice in question["choices"]}
    for question in QUESTIONS
    if question.get("choices")
}
COSTS = yaml.safe_load((KNOWLEDGE / "costs.yaml").read_text(encoding="utf-8"))
ASSUMPTIONS = {item["id"] for item in COSTS["assumptions"]}

OUTPUTS = set(vocabulary.OUTPUTS)
DATA = set(vocabulary.DATA)
DOMAINS = {"general", *vocabulary.DOMAINS}
LOCATIONS = CHOICES["data_location"]
LABELS = CHOICES["labels"]

ENUMERATED: dict[str, set[Any]] = {
    "labels": LABELS,
    "team": CHOICES["team"] | {None},
    "hardware": CHOICES["hardware"] | {None},
    "method": CHOICES["method"],
    "output": OUTPUTS,
    "data": DATA,
    "domain": DOMAINS,
    "data_location": LOCATIONS,
}
"""Fields whose value is one of a list (None: skipped)."""

COUNTS = {"labeled_examples", "unlabeled_examples", "budget_usd", "team_size"}
"""Fields whose value is a non-negative number."""

NULLABLE = {"unlabeled_examples", "budget_usd"}
"""Counts that may be left unsaid (None), after "not sure"."""

NEW_FIELDS = {"output", "data", "domain", "data_location", "team_size"}
FIELDS = QUESTION_IDS | NEW_FIELDS
PLACES = FIELDS | {"done"}

DEFAULTS: dict[str, Any] = {
    "model_size": "small",
    "budget_usd": None,
    "team": None,
    "team_size": 1,
    "hardware": None,
    "unlabeled_examples": None,
    "domain": "general",
    "data_location": "anywhere",
}
"""What an unsure answer ("not sure", "idk") takes, as the corpus's header states."""

INDUSTRIES = {
    "healthcare",
    "law",
    "finance",
    "insurance",
    "retail",
    "manufacturing",
    "education",
    "customer-support",
    "media",
    "logistics",
    "public-sector",
    "hr",
    "energy",
    "agriculture",
    "telecom",
    "research",
    "software",
    "real-estate",
    "travel",
}
CURRENCIES = {"USD", "EUR", "GBP", "INR", "CHF", "JPY", "AUD", "CAD"}
PERIODS = {"hour", "day", "week", "month", "year"}
WEEK = {"hour": 40, "day": 5, "week": 1}
"""A dollar rate per hour, day or week, in dollars a week."""
WEEKLY = {"engineer_usd_per_week", "inhouse_usd_per_week"}
"""The assumptions a rate sets: a hire's, and one's own team's."""

OUTCOMES = {"read", "confirm", "clarify", "asks", "refused", "unclear", "assume", "rate", "money", "what_if"}
MARKS = {"also_asks", "keeps", "not_money", "assumed"}
KEYS = {"say", "at", "given", "industry"} | OUTCOMES | MARKS
CONVERSATION_KEYS = {"persona", "lines", "reads", "rate", "assume", "assumed"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def value_problems(field: str, value: Any) -> list[str]:
    """What is wrong with one answer (field: value); nothing when it is a known field's value."""
    if field not in FIELDS:
        return [f"unknown field {field!r}"]
    if field in ENUMERATED:
        return [] if value in ENUMERATED[field] else [f"{field}: {value!r} is not one of its values"]
    if field == "model_size":
        if value in CHOICES["model_size"] or (_is_number(value) and value > 0):
            return []
        return [f"model_size: {value!r} is neither a size nor a parameter count"]
    if field in COUNTS:
        if value is None and field in NULLABLE:
            return []
        if not _is_number(value) or value < 0:
            return [f"{field}: {value!r} is not a non-negative number"]
        if field == "team_size" and (value < 1 or value != int(value)):
            return [f"team_size: {value!r} is not a whole number of people"]
        return []
    return [f"{field}: no rule for its values"]


def answers_problems(answers: Any, where: str) -> list[str]:
    if not isinstance(answers, dict):
        return [f"{where} is not a mapping"]
    return [f"{where}: {found}" for field, value in answers.items() for found in value_problems(field, value)]


def rate_problems(rate: Any, assume: dict[str, Any], team: Any) -> list[str]:
    """A rate as said, and the dollar assumption it sets (only a dollar rate per hour, day or week)."""
    if not isinstance(rate, dict) or set(rate) != {"amount", "currency", "per"}:
        return [f"rate {rate!r} is not {{amount, currency, per}}"]
    problems = []
    if not _is_number(rate["amount"]) or rate["amount"] <= 0:
        problems.append(f"rate amount {rate['amount']!r} is not a positive number")
    if rate["currency"] not in CURRENCIES:
        problems.append(f"rate currency {rate['currency']!r} is not a known ISO code")
    if rate["per"] not in PERIODS:
        problems.append(f"rate per {rate['per']!r} is not one of {sorted(PERIODS)}")
    if problems:
        return problems
    weekly = {key: value for key, value in assume.items() if key in WEEKLY}
    if rate["currency"] == "USD" and rate["per"] in WEEK:
        key = "inhouse_usd_per_week" if team == "in-house" else "engineer_usd_per_week"
        expected = {key: rate["amount"] * WEEK[rate["per"]]}
        if weekly != expected:
            problems.append(f"a dollar rate {rate} sets {expected}, not {weekly}")
    elif weekly:
        problems.append(f"a rate {rate} needs a named conversion: no dollar figure {weekly} in the corpus")
    return problems


def entry_problems(entry: Any) -> list[str]:
    """Everything wrong with one line of the corpus; nothing for a well-formed entry."""
    if not isinstance(entry, dict):
        return [f"{entry!r} is not a mapping"]
    problems = [f"unknown key {key!r}" for key in set(entry) - KEYS]
    if not isinstance(entry.get("say"), str) or not entry["say"].strip():
        problems.append("no `say`")
    if entry.get("at") not in PLACES:
        problems.append(f"`at` {entry.get('at')!r} is not a question, a field or `done`")
    if not OUTCOMES & set(entry):
        problems.append("no outcome")
    given = entry.get("given", {})
    read = entry.get("read", {})
    confirm = entry.get("confirm", {})
    assume = entry.get("assume", {})
    for key in ("given", "read", "confirm", "what_if"):
        if key in entry:
            problems += answers_problems(entry[key], key)
    if not isinstance(given, dict) or not isinstance(read, dict) or not isinstance(confirm, dict):
        return problems
    if not isinstance(assume, dict):
        return [*problems, "assume is not a mapping"]
    for key, value in assume.items():
        if key not in ASSUMPTIONS:
            problems.append(f"assume: unknown assumption {key!r}")
        elif not _is_number(value) or value < 0:
            problems.append(f"assume: {key} {value!r} is not a non-negative number")
    for key in ("asks", "refused", "unclear", "also_asks", "not_money"):
        if key in entry and entry[key] is not True:
            problems.append(f"`{key}` is written only as true")
    silent = entry.get("unclear") or entry.get("refused")
    if silent and {"read", "confirm", "clarify", "assume"} & set(entry):
        problems.append("a line not read or refused records nothing")
    if "read" in entry and "confirm" in entry:
        problems.append("a line is read or proposed for confirmation, not both")
    if entry.get("also_asks") and not {"read", "confirm"} & set(entry):
        problems.append("`also_asks` goes beside `read` or `confirm`")
    if "industry" in entry:
        if entry.get("at") != "task":
            problems.append("`industry` tags task lines only")
        if entry["industry"] not in INDUSTRIES:
            problems.append(f"industry {entry['industry']!r} is not one of the trades")
    if entry.get("at") == "task" and read.get("domain") == "general":
        problems.append("a task line leaves out domain when general is only the default")
    if "clarify" in entry:
        problems += clarify_problems(entry["clarify"], read)
    if "keeps" in entry:
        keeps = entry["keeps"]
        if not isinstance(keeps, list) or not keeps:
            problems.append("`keeps` is a list of fields")
        else:
            for field in keeps:
                if field not in FIELDS:
                    problems.append(f"keeps: unknown field {field!r}")
                elif field not in given:
                    problems.append(f"keeps: {field} is not in `given`")
                elif field in read or field in confirm:
                    problems.append(f"keeps: {field} is also read")
    if "assumed" in entry:
        assumed = entry["assumed"]
        if not isinstance(assumed, list) or not assumed:
            problems.append("`assumed` is a list of fields")
        else:
            for field in assumed:
                if field not in DEFAULTS:
                    problems.append(f"assumed: {field!r} has no stated default")
                elif field not in read or read[field] != DEFAULTS[field]:
                    problems.append(f"assumed: {field} reads its default {DEFAULTS[field]!r}")
    if "money" in entry:
        money = entry["money"]
        if not isinstance(money, dict) or set(money) != {"amount", "currency"} or money["currency"] == "USD":
            problems.append(f"money {money!r} is not {{amount, currency}} in a currency other than USD")
        elif "budget_usd" in read or "budget_usd" in confirm:
            problems.append("an amount in another currency is read by its conversion, not written in `read`")
    if "rate" in entry:
        problems += rate_problems(entry["rate"], assume, read.get("team", given.get("team")))
    elif WEEKLY & set(assume) and entry.get("at") != "done":
        problems.append("a rate said in words is written out in `rate`")
    if entry.get("not_money"):
        problems += not_money_problems(entry, read)
    return problems


def clarify_problems(clarify: Any, read: dict[str, Any]) -> list[str]:
    if not isinstance(clarify, dict) or set(clarify) != {"field", "choices"}:
        return [f"clarify {clarify!r} is not {{field, choices}}"]
    field, choices = clarify["field"], clarify["choices"]
    if field not in FIELDS:
        return [f"clarify: unknown field {field!r}"]
    problems = []
    if field in read:
        problems.append(f"clarify: {field} is asked, so it is not read")
    if not isinstance(choices, list) or len(choices) < 2 or len(set(map(repr, choices))) != len(choices):
        return [*problems, f"clarify: {choices!r} is not two choices or more, each once"]
    for choice in choices:
        if choice is None:
            problems.append(f"clarify: {field} offers none as a choice")
        else:
            problems += [f"clarify: {problem}" for problem in value_problems(field, choice)]
    return problems


def not_money_problems(entry: dict[str, Any], read: dict[str, Any]) -> list[str]:
    """A line marked `not_money` says people or a rate, and neither becomes the budget."""
    people = read.get("team_size")
    rate = entry.get("rate", {})
    clarify = entry.get("clarify", {})
    if people is None and not rate and clarify.get("field") != "team":
        return ["`not_money` marks a line that says a number of people or a rate"]
    budget = read.get("budget_usd", entry.get("confirm", {}).get("budget_usd"))
    if budget is None:
        return []
    amounts = {people}
    if isinstance(rate, dict) and _is_number(rate.get("amount")):
        amounts |= {rate["amount"], rate["amount"] * WEEK.get(rate.get("per"), 1)}
    return [f"budget_usd {budget} is the people or the rate"] if budget in amounts else []


def conversation_problems(conversation: Any) -> list[str]:
    if not isinstance(conversation, dict):
        return [f"{conversation!r} is not a mapping"]
    problems = [f"unknown key {key!r}" for key in set(conversation) - CONVERSATION_KEYS]
    if not isinstance(conversation.get("persona"), str) or not conversation["persona"]:
        problems.append("no persona")
    lines = conversation.get("lines")
    if not isinstance(lines, list) or not lines or not all(isinstance(line, str) and line for line in lines):
        problems.append("`lines` is a list of what was typed")
    reads = conversation.get("reads")
    problems += answers_problems(reads, "reads")
    if not isinstance(reads, dict):
        return problems
    for field in conversation.get("assumed", []):
        if field not in DEFAULTS or reads.get(field, "missing") != DEFAULTS[field]:
            problems.append(f"assumed: {field} reads its default")
    if "rate" in conversation:
        problems += rate_problems(conversation["rate"], conversation.get("assume", {}), reads.get("team"))
    for key in conversation.get("assume", {}):
        if key not in ASSUMPTIONS:
            problems.append(f"assume: unknown assumption {key!r}")
    return problems


def _id(entry: dict[str, Any]) -> str:
    return f"{entry.get('at')}: {entry.get('say')}"


@pytest.mark.parametrize("entry", LINES, ids=_id)
def test_a_line_is_well_formed(entry: dict[str, Any]) -> None:
    assert entry_problems(entry) == []


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.get("persona"))
def test_a_persona_conversation_is_well_formed(conversation: dict[str, Any]) -> None:
    assert conversation_problems(conversation) == []


def test_the_corpus_is_large_and_covers_every_output_data_and_trade() -> None:
    assert set(CORPUS) == {"lines", "conversations"}
    assert len(LINES) >= 250
    tasks = [entry for entry in LINES if entry.get("at") == "task" and "output" in entry.get("read", {})]
    assert len(tasks) >= 100
    read = [entry.get("read", {}) for entry in LINES] + [c["reads"] for c in CONVERSATIONS]
    assert {answers["output"] for answers in read if "output" in answers} == OUTPUTS
    assert {answers["data"] for answers in read if "data" in answers} == DATA
    assert {answers["domain"] for answers in read if "domain" in answers} == DOMAINS
    assert {answers["labels"] for answers in read if "labels" in answers} == LABELS
    industries = Counter(entry["industry"] for entry in LINES if "industry" in entry)
    assert len(industries) >= 10, industries
    assert {"clarify", "keeps", "not_money", "assumed", "rate"} <= {key for entry in LINES for key in entry}
    assert len(CONVERSATIONS) >= 8


def test_no_line_is_said_twice_at_the_same_place_with_the_same_answers_given() -> None:
    seen = Counter((entry["at"], entry["say"], repr(entry.get("given"))) for entry in LINES)
    assert [key for key, count in seen.items() if count > 1] == []


WELL_FORMED = {"say": "flag fraud", "at": "task", "industry": "finance", "read": {"output": "category"}}
"""A line the checks pass, changed below in one way each so that they must fail."""

BROKEN = [
    ({"read": {"output": "categroy"}}, "is not one of its values"),
    ({"read": {"data": "image"}}, "is not one of its values"),
    ({"read": {"labels": "none yet"}}, "is not one of its values"),
    ({"read": {"labeled_examples": -5}}, "non-negative"),
    ({"read": {"team_size": 1.5}}, "whole number"),
    ({"read": {"outptu": "category"}}, "unknown field"),
    ({"keeps": ["budget_usd"]}, "not in `given`"),
    ({"clarify": {"field": "data", "choices": ["text", "pictures"]}}, "is not one of its values"),
    ({"clarify": {"field": "output", "choices": ["category", "number"]}}, "so it is not read"),
    ({"assumed": ["model_size"], "read": {"model_size": "large"}}, "reads its default"),
    ({"industry": "space"}, "not one of the trades"),
    (
        {"rate": {"amount": 600, "currency": "EUR", "per": "day"}, "assume": {"engineer_usd_per_week": 3000}},
        "named conversion",
    ),
    (
        {"rate": {"amount": 650, "currency": "USD", "per": "day"}, "assume": {"engineer_usd_per_week": 650}},
        "sets",
    ),
    ({"not_money": True, "read": {"team_size": 2, "budget_usd": 2}}, "is the people or the rate"),
    ({"flavour": True}, "unknown key"),
]


@pytest.mark.parametrize(("change", "problem"), BROKEN, ids=[problem for _, problem in BROKEN])
def test_a_broken_line_is_caught(change: dict[str, Any], problem: str) -> None:
    assert entry_problems(WELL_FORMED) == []
    entry = copy.deepcopy(WELL_FORMED)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(entry.get(key), dict):
            entry[key] = {**entry[key], **value}
        else:
            entry[key] = value
    assert any(problem in found for found in entry_problems(entry)), entry_problems(entry)


# --- the entries about people, rates, money and labels, driven through a Conversation -----------

THE_TASK_READER = {"output", "data", "domain", "data_location"}
"""Fields the task reader fills (task, output, data, domain, where the data may go): their entries
are driven once the chat reads them. Until then an entry that reads, asks about or is said at one
of them is left out of the drive below, and one given them is driven without them."""

READ_HERE = {
    "labels",
    "labeled_examples",
    "unlabeled_examples",
    "team",
    "team_size",
    "budget_usd",
    "hardware",
}
"""The answers these entries are about: people and their rates, money, labels and their counts."""

CASE = {
    "task": "text",
    "labels": "labeled",
    "labeled_examples": 1000,
    "unlabeled_examples": None,
    "model_size": "small",
    "budget_usd": 10000,
    "team": None,
    "team_size": 1,
    "hardware": None,
    "method": None,
}
"""The answers before a line, unless the entry gives others (as in tests/chat/test_corpus.py)."""


def _driven(entry: dict[str, Any]) -> bool:
    """Whether an entry is about people, rates, money or labels (and not also the task reader's)."""
    if "assumed" in entry or "clarify" in entry or "asks" in entry or entry.get("at") in THE_TASK_READER:
        return False  # unsure answers and clarifying questions: the chat's flow, driven with it
    said = {*entry.get("read", {}), *entry.get("confirm", {})}
    if said & THE_TASK_READER or entry.get("read", {}).get("labels") == "none-yet":
        return False  # "no data yet" is the task reader's too
    if set(entry.get("given", {})) & THE_TASK_READER and not set(entry.get("keeps", [])) & THE_TASK_READER:
        return False  # read by what the model produces ("3 years of orders" label a ranking)
    if entry.get("at") == "task" and not said:
        return False
    marked = {"not_money", "rate", "money", "keeps", "assume"} & set(entry)
    return (bool(said) and said <= READ_HERE) or (bool(marked) and said <= READ_HERE)


NOT_YET = {
    ("labels", "every ticket has a category already, about 40k"): "a category as a label: the labels' words",
    ("labels", "the radiologist report says what's in each scan"): "a report as a label: the labels' words",
    (
        "labels",
        "3k read by us, 20k more in PACS",
    ): "scans read by a radiologist as labeled: the labels' words",
    ("team", "a data scientist here costs 95k a year"): "“here” as one's own team",
    ("labels", "3 years of orders, about 30k"): "a history as its own label: what the model produces",
}
"""Entries that need words the labels and team questions do not have yet, each with what is missing:
expected to fail (strictly: one that passes is taken off this list)."""

DRIVEN = [
    pytest.param(entry, marks=pytest.mark.xfail(reason=NOT_YET[key], strict=True))
    if (key := (entry["at"], entry["say"])) in NOT_YET
    else entry
    for entry in LINES
    if _driven(entry)
]


def _at(kb: KnowledgeBase, engine: Engine, at: str, given: dict[str, Any]) -> Conversation:
    """A conversation at question ``at`` (``done``: every question answered) with ``given`` before."""
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    answers = {**CASE, **{f: v for f, v in given.items() if f not in THE_TASK_READER}}
    # A question whose answer is given is asked again, its answer kept ("the 800 I mentioned").
    stop = "done" if at in given else at
    for _ in range(len(kb.questions) + 1):
        question = chat.current
        if question is None or question.id == stop:
            break
        value = answers.get(question.id, question.default)
        if value is None:
            chat.act("skip")
        elif question.choices:
            chat.act("choose", value)
        else:
            chat.handle(str(value))
    if at in given:
        chat.act("edit", at)
    assert (chat.current.id if chat.current else "done") == at, chat.given.values
    return chat


def expected_assumptions(kb: KnowledgeBase, entry: dict[str, Any], team: Any) -> dict[str, float]:
    """What a rate said sets, worked out from the knowledge base's named assumptions: a week's cost
    (hours and days multiplied by their number in a week, months and years divided by the weeks in
    them), in dollars at the named exchange rate; a currency without one sets nothing."""
    expected = dict(entry.get("assume", {}))
    rate = entry.get("rate")
    if rate is not None:
        usd = 1.0 if rate["currency"] == "USD" else None
        exchange = EXCHANGE.get(rate["currency"])
        if exchange is not None:
            usd = kb.assumption[exchange].low
            expected[exchange] = usd
        if usd is not None:
            per = rate["per"]
            weekly = rate["amount"] * usd
            if per in ("hour", "day"):
                weekly *= kb.assumption[PER_WEEK[per]].low
            elif per in ("month", "year"):
                weekly /= kb.assumption[PER_WEEK[per]].low
            key = "inhouse_usd_per_week" if team == "in-house" else "engineer_usd_per_week"
            expected[key] = round(weekly, 2)
    money = entry.get("money")
    if money is not None and money["currency"] in EXCHANGE:
        expected[EXCHANGE[money["currency"]]] = kb.assumption[EXCHANGE[money["currency"]]].low
    return expected


EXCHANGE = {"EUR": "usd_per_eur", "GBP": "usd_per_gbp"}
"""The currencies the knowledge base names a dollar rate for."""


def _shown(replies: list[Reply]) -> str:
    return "\n".join(repr(reply)[:400] for reply in replies)


@pytest.mark.parametrize("entry", DRIVEN, ids=lambda entry: _id(entry) if isinstance(entry, dict) else None)
def test_a_line_of_people_money_or_labels(kb: KnowledgeBase, engine: Engine, entry: dict[str, Any]) -> None:
    given = entry.get("given", {})
    chat = _at(kb, engine, entry["at"], given)
    before, assumptions_before = dict(chat.given.values), dict(chat.given.assumptions)
    replies = chat.handle(entry["say"])
    shown = _shown(replies)
    changed = {f: v for f, v in chat.given.values.items() if before.get(f, "missing") != v}
    if any(isinstance(reply, Said) and reply.text.startswith("That is enough for a") for reply in replies):
        changed = {f: v for f, v in changed.items() if chat.given.said.get(f) != "skipped"}
    set_now = {k: v for k, v in chat.given.assumptions.items() if assumptions_before.get(k) != v}
    team = entry.get("read", {}).get("team", given.get("team"))
    expected = dict(entry.get("read", {}))
    if "money" in entry:
        usd = kb.assumption[EXCHANGE[entry["money"]["currency"]]].low
        expected["budget_usd"] = pytest.approx(entry["money"]["amount"] * usd)
    if "read" in entry or "money" in entry:
        assert not isinstance(chat.mode, Confirming), shown
        assert changed == expected, shown
    else:
        assert changed == {}, shown
    if "confirm" in entry:
        assert isinstance(chat.mode, Confirming), shown
        assert chat.mode.reading.understanding.values == entry["confirm"], shown
    for field in entry.get("keeps", []):
        if field not in THE_TASK_READER:
            assert chat.given.values.get(field) == before.get(field), shown
    if entry.get("refused"):
        assert any(isinstance(reply, Unclear) and "US dollars" in reply.text for reply in replies), shown
    if entry.get("unclear"):
        assert any(isinstance(reply, Unclear) for reply in replies), shown
    assert set_now == pytest.approx(expected_assumptions(kb, entry, team)), shown
    if entry.get("not_money"):
        people = chat.given.values.get("team_size")
        rate = entry.get("rate", {}).get("amount")
        budget = chat.given.values.get("budget_usd")
        assert budget not in {people, rate} or budget == before.get("budget_usd"), shown


def test_the_drive_covers_people_rates_money_and_labels() -> None:
    kinds = Counter(
        key for entry in DRIVEN for key in ("not_money", "rate", "money", "keeps") if key in entry
    )
    entries = [entry if isinstance(entry, dict) else entry.values[0] for entry in DRIVEN]
    kinds = Counter(
        key for entry in entries for key in ("not_money", "rate", "money", "keeps") if key in entry
    )
    assert len(entries) >= 60, len(entries)
    assert all(kinds[key] >= 3 for key in ("not_money", "rate", "money", "keeps")), kinds
