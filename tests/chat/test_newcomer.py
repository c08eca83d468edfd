"""Someone new to fine-tuning: the offer to explain as we go (corpus.yaml's ``offer``), why each
question matters with the person's own answers, the picture of the approaches and the costs at
the recommendation with the report's own figures, and "why?" told as the decision was made,
consistent with the report's reasons over the sweep's profiles."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SWEEP_SAMPLE, ask

from advisor.answers import Answers, Normalized
from advisor.chat.conversation import Conversation
from advisor.chat.modes import Asking, OfferingHelp
from advisor.chat.newcomer import OFFER, picture
from advisor.chat.replies import Asked, Explained, Recommended, Reply, Said, Traced
from advisor.chat.trace import deciding_step, trace_lines
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase
from advisor.kb.models import why_slots
from advisor.report import Report, explain
from advisor.settings import Settings
from advisor.sweep import profiles

OFFERS: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("corpus.yaml").read_text(encoding="utf-8")
)["offer"]

TICKETS = ["classify support tickets", "yes", "5000", "BERT", "$20k", "skip", "skip"]


def said(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies if isinstance(r, Said))


def offered(kb: KnowledgeBase, engine: Engine, tmp_path: Path) -> tuple[Conversation, Settings]:
    settings = Settings(tmp_path / "settings.json")
    chat = Conversation(kb, engine, settings=settings)
    replies = chat.start(resume=False)
    assert isinstance(chat.mode, OfferingHelp) and OFFER in said(replies)
    assert not any(isinstance(r, Asked) for r in replies)
    return chat, settings


@pytest.mark.parametrize("entry", OFFERS, ids=[entry["say"] for entry in OFFERS])
def test_each_answer_to_the_offer_is_read_as_the_corpus_says(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path, entry: dict[str, Any]
) -> None:
    chat, settings = offered(kb, engine, tmp_path)
    replies = chat.handle(entry["say"])
    if "asks" in entry:
        assert isinstance(replies[0], Explained) and isinstance(chat.mode, OfferingHelp)
        assert settings.flag("explain") is None
        return
    if "read" in entry:  # the first question's answer: the terse flow, nothing remembered
        assert {k: chat.given.values.get(k) for k in entry["read"]} == entry["read"]
        assert not chat.newcomer.explaining and settings.flag("explain") is None
        return
    explain = entry["explain"]
    assert chat.newcomer.explaining is (explain is not False)
    assert settings.flag("explain") == (None if explain == "unsure" else explain)
    assert isinstance(chat.mode, Asking) and chat.current is not None and chat.current.id == "task"
    # The first question comes with its why only for someone who wants it explained.
    why = kb.question["task"].why_new[-1]
    assert (" ".join(why.split()) in said(replies)) is (explain is not False)


def test_the_offer_is_made_once_and_the_answer_kept(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    chat, settings = offered(kb, engine, tmp_path)
    chat.pick(chat.options[0])  # "Yes, explain as we go"
    again = Conversation(kb, engine, settings=settings)
    replies = again.start(resume=False)
    assert isinstance(again.mode, Asking) and again.newcomer.explaining
    assert OFFER not in said(replies) and "What the model must produce" in said(replies)
    # Turned off in words, remembered too: the next chat is the terse one.
    assert "keep it short" in said(again.handle("stop explaining"))
    third = Conversation(kb, engine, settings=settings)
    replies = third.start(resume=False)
    assert not third.newcomer.explaining and said(replies).count(".") == said(third.start()).count(".")


def test_without_settings_the_chat_is_terse_as_before(kb: KnowledgeBase, engine: Engine) -> None:
    chat = Conversation(kb, engine)
    replies = chat.start(resume=False)
    assert isinstance(replies[-1], Asked) and OFFER not in said(replies)
    for line in TICKETS:
        replies = chat.handle(line)
    assert isinstance(replies[0], Recommended) and len(replies) == 1  # no picture
    # Typed at any time, it turns the explanations on: the picture of the project at once.
    replies = chat.handle("explain as we go")
    assert chat.newcomer.explaining and "Three approaches" in said(replies)


def test_each_question_says_why_it_matters_with_the_answers_so_far(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    chat, _ = offered(kb, engine, tmp_path)
    chat.handle("yes, explain as we go")
    whys: dict[str, str] = {}
    replies: list[Reply] = []
    for line in TICKETS:
        replies = chat.handle(line)
        asked = [r for r in replies if isinstance(r, Asked)]
        if asked:
            whys[asked[-1].question.id] = said(replies)
    assert "unsupervised fine-tuning from raw text" in whys["labels"]
    assert "You have labeled data: how many examples decides" in whys["labeled_examples"]
    assert "You will train on 5,000 labeled examples of text" in whys["model_size"]
    assert "compute to train a model of 110M parameters" in whys["budget_usd"]
    assert "against your budget of $20,000" in whys["team"]
    assert "Three approaches" in said(replies)


def test_every_question_has_a_why_whose_slots_are_questions(kb: KnowledgeBase) -> None:
    for question in kb.questions:
        assert question.why_new, question.id
        assert not why_slots(question.why_new[-1])
        for text in question.why_new:
            assert set(why_slots(text)) <= set(kb.question), text
            assert text.count(". ") + text.count("? ") <= 2  # two sentences
            assert not re.search(r"\w- \w", text), text  # no word broken by the YAML's folding
    with pytest.raises(ValueError, match="slot"):
        why_slots("Your {budget_usd:.2f} budget")
    with pytest.raises(ValueError):
        why_slots("Your {budget_usd budget")


NUMBER = re.compile(r"\$?\d+(?:,\d{3})*(?:\.\d+)?[MBk]?")


@pytest.mark.parametrize(
    "lines",
    [
        TICKETS,
        ["classify medical scans", "labelled", "1,000 images", "ResNet-50", "$10k", "skip", "skip"],
        ["classify support tickets", "no labels, just raw logs", "100k", "BERT", "$50k", "skip", "skip"],
        ["write replies to customer emails", "yes", "20k", "7B", "no budget", "our own team", "2", "gpu"],
    ],
)
def test_the_picture_uses_only_the_reports_figures(
    kb: KnowledgeBase, engine: Engine, lines: list[str]
) -> None:
    from advisor.render import to_text

    chat = Conversation(kb, engine)
    chat.start(resume=False)
    chat.handle("explain as we go")
    for line in lines:
        chat.handle(line)
    report = chat.report
    assert report is not None and chat.done
    text = picture(report)
    assert text.count(". ") == 2 and text.endswith(".")  # three sentences
    for category in ("compute", "data", "personnel", "tooling"):
        assert category in text
    rendered = to_text(report)
    for number in NUMBER.findall(text):
        assert number in rendered, (number, text)


def _report(kb: KnowledgeBase, engine: Engine, profile: dict[str, Any]) -> Report:
    values = engine.space.visible({q.id: profile.get(q.id, q.default) for q in kb.questions})
    decision = engine.decide(Answers(values))
    return explain(kb, Normalized(decision.answers, ()), decision)


def _reports_reason(report: Report) -> str:
    """What decided, read from the report alone: its alternatives, their budget verdicts and
    its reasons (not from the trace's code)."""
    open_ = [a for a in report.alternatives if not a.excluded]
    if not open_:
        return "produce"
    if report.budget.level == "over":
        assert any(r.text.startswith("Nothing fits your budget") for r in report.rationale)
        return "over"
    if report.budget.level != "unset" and all(a.budget.level == "over" for a in open_):
        assert any("fits your budget" in r.text for r in report.rationale)
        return "budget"
    return "tie" if any(r.text.startswith("It tied with") for r in report.rationale) else "scores"


def test_why_concludes_as_the_report_over_the_sweeps_profiles(kb: KnowledgeBase, engine: Engine) -> None:
    seen: set[str] = set()
    for profile in itertools.islice(profiles(kb), 0, None, SWEEP_SAMPLE):
        report = _report(kb, engine, profile)
        lines = trace_lines(report)
        step = deciding_step(report.decision)
        assert step == _reports_reason(report), profile
        seen.add(step)
        conclusion = lines[-1]
        assert conclusion.kind == "decided"
        assert conclusion.text.startswith(f"I recommend {report.name.lower()} ("), profile
        scored = any(line.heading == "3. Which is best for your data" for line in lines)
        assert scored is (step in ("scores", "tie")), profile  # scores only where they decided
        if step in ("budget", "over"):
            assert "budget" in conclusion.text
    assert {"scores", "budget", "over"} <= seen


def test_ask_explains_as_we_go_with_the_persons_numbers(tmp_path: Path) -> None:
    lines = ["yes, explain as we go", *TICKETS, "why?"]
    done = ask(tmp_path, lines, "--new", env={"ADVISOR_CONFIG_DIR": str(tmp_path / "config")})
    assert done.returncode == 0, done.err
    out = " ".join(done.out.split())
    assert "New to fine-tuning? I can explain as we go" in out
    assert "You will train on 5,000 labeled examples of text" in out
    assert "Three approaches: supervised fine-tuning" in out and "personnel is most" in out
    assert "2. Which fit the budget" in out
    assert Settings(tmp_path / "config" / "settings.json").flag("explain") is True


def test_traced_reply_is_what_why_returns(kb: KnowledgeBase, engine: Engine) -> None:
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    for line in TICKETS:
        chat.handle(line)
    traced = [r for r in chat.handle("why?") if isinstance(r, Traced)]
    assert traced and traced[0].lines == trace_lines(traced[0].report)


def test_two_numbers_for_a_count_ask_which_in_words(kb: KnowledgeBase, engine: Engine) -> None:
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    for line in ("classify tickets", "some of it", "500"):
        chat.handle(line)
    replies = chat.handle("200 or 3000")
    text = " ".join(r.text for r in replies if hasattr(r, "text") and isinstance(r.text, str))
    assert "which is the number of unlabeled examples?" in text and "?." not in text


WHY_BLOCK = re.compile(r"    why_new:\n(?:      - >-\n(?:        .*\n)+)+")


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ["You have {labled_examples} examples. That counts.", "It counts."],
            "{labled_examples} is not a question",
        ),
        (["Your {budget_usd} budget. It filters."], "the last why_new text must have no"),
        (["Your {budget_usd:,} budget. It filters.", "It filters."], "a slot is a question id"),
    ],
)
def test_kb_check_names_a_why_that_cannot_be_filled(kb_dir: Path, texts: list[str], expected: str) -> None:
    from advisor.errors import KnowledgeError
    from advisor.kb import load_knowledge

    path = kb_dir / "questions.yaml"
    block = "    why_new:\n" + "".join(f"      - {text!r}\n" for text in texts)
    path.write_text(WHY_BLOCK.sub(block, path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(kb_dir, use_cache=False)
    assert expected in str(raised.value)


def test_one_more_question_is_said_before_the_why_of_that_question(
    kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    chat, _ = offered(kb, engine, tmp_path)
    chat.handle("yes, explain as we go")
    replies = chat.handle("sort patient complaint letters by department")
    texts = [r.text for r in replies if isinstance(r, Said)]
    added = next(i for i, text in enumerate(texts) if text.startswith("One more question"))
    why = next(i for i, text in enumerate(texts) if "whether your examples are labeled" in text)
    assert added == why - 1 and isinstance(replies[-1], Asked), texts
