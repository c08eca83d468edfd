"""The chat's state machine, without a screen: whole conversations, line by line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MEDICAL, TICKETS, TICKETS_TASK

from advisor.answers import asked as asked_at
from advisor.answers import load_answers, normalize
from advisor.chat.conversation import MAX_LINE, Conversation
from advisor.chat.export import save_export
from advisor.chat.modes import Confirming, OfferingResume
from advisor.chat.replies import (
    Asked,
    Compared,
    Confirm,
    Explained,
    Exported,
    Recommended,
    Reply,
    Said,
    Traced,
    Unclear,
)
from advisor.chat.store import SessionStore
from advisor.conditions import holds
from advisor.decision.engine import Engine
from advisor.kb import KnowledgeBase, default_knowledge_dir, load_cases
from advisor.report import build_report


def opening(kb: KnowledgeBase) -> int:
    """The questions asked with no answer yet: those that apply and are offered before any answer."""
    return len([q for q in kb.questions if q.guided and asked_at(q, {}) and holds(q.offer_when, {})])


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "state")


@pytest.fixture
def chat(kb: KnowledgeBase, engine: Engine, store: SessionStore) -> Conversation:
    conversation = Conversation(kb, engine, store)
    conversation.start()
    return conversation


def asked(replies: list[Reply]) -> str | None:
    """The id of the question the replies end on, if any."""
    last = [r for r in replies if isinstance(r, Asked)]
    return last[-1].question.id if last else None


def said(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies if isinstance(r, Said | Unclear | Explained))


def answer_all(chat: Conversation, lines: list[str]) -> list[Reply]:
    replies: list[Reply] = []
    for line in lines:
        replies = chat.handle(line)
    return replies


def test_start_greets_and_asks_the_task_first(kb: KnowledgeBase, engine: Engine) -> None:
    replies = Conversation(kb, engine).start()
    assert isinstance(replies[0], Said)
    assert asked(replies) == "task"
    first = replies[-1]
    assert isinstance(first, Asked)
    # The questions asked with no answer yet: those that apply before any answer.
    assert (first.number, first.total) == (1, opening(kb))


def test_question_numbers_count_what_will_be_asked_and_say_why_they_grow(
    kb: KnowledgeBase, engine: Engine
) -> None:
    """ "Question N of M": N is kept once shown, M counts the questions this person is asked
    given the answers so far, and grows only with a sentence saying why."""
    chat = Conversation(kb, engine)
    seen: list[tuple[str, int, int]] = []
    grew: list[str] = []
    for line in [TICKETS, "some of it", "2k", "skip", "small", "$10k"]:
        replies = [*(chat.start() if not seen else []), *chat.handle(line)]
        seen += [(r.question.id, r.number, r.total) for r in replies if isinstance(r, Asked)]
        grew += [r.text for r in replies if isinstance(r, Said) and "more question" in r.text]
    numbers = [number for _, number, _ in seen]
    assert numbers == list(range(1, len(numbers) + 1)), seen  # one after another, never a jump
    before = opening(kb)
    assert seen[0][2] == seen[1][2] == before
    # "Some of it": both counts are asked from then on, and the chat says so, in the labels' words.
    partial = next(c for c in kb.question["labels"].choices if c.value == "partially-labeled")
    assert grew == [f"Two more questions, since {partial.statement}."]
    assert {total for _, _, total in seen[2:]} == {before + 2}
    assert chat.summary_line() == f"Question {seen[-1][1]} of {before + 2}"


def test_a_question_answered_in_passing_is_not_counted(kb: KnowledgeBase, engine: Engine) -> None:
    chat = Conversation(kb, engine)
    first = [r for r in chat.start() if isinstance(r, Asked)][-1]
    replies = chat.handle("classify 5k labelled tickets, BERT")
    after = [r for r in replies if isinstance(r, Asked)][-1]
    # Task, labels, the count and the model: answered at once; the budget is question 2.
    assert (after.question.id, after.number) == ("budget_usd", 2)
    assert after.total == first.total - 2  # the labels and the model size, answered in passing
    assert not any(isinstance(r, Said) and "more question" in r.text for r in replies)


def test_a_shown_question_keeps_its_number_going_back(kb: KnowledgeBase, engine: Engine) -> None:
    chat = Conversation(kb, engine)
    chat.start()
    numbers: dict[str, int] = {}
    for line in [TICKETS, "yes", "2k", "small", "back", "back", "back", "2k", "small"]:
        for reply in chat.handle(line):
            if isinstance(reply, Asked):
                assert numbers.setdefault(reply.question.id, reply.number) == reply.number, line
    assert chat.current is not None and chat.current.id == "budget_usd"


def test_happy_path_ends_with_the_same_recommendation_as_an_answers_file(
    chat: Conversation, kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    replies = answer_all(chat, MEDICAL)
    cards = [r for r in replies if isinstance(r, Recommended)]
    assert len(cards) == 1
    path = tmp_path / "answers.yaml"
    path.write_text(
        "task: medical imaging\nlabels: labeled\nlabeled_examples: 1000\n"
        "model_size: ResNet-50\nbudget_usd: 10000\n"
    )
    expected = build_report(kb, engine, load_answers(str(path), kb))
    report = cards[0].report
    assert report.approach == expected.approach == "transfer-learning"
    assert (report.cost.low, report.cost.high) == (expected.cost.low, expected.cost.high)
    assert chat.done


def test_fuzzy_answers_are_read_back_to_the_person(chat: Conversation) -> None:
    replies = chat.handle("classify medical scans")
    assert "Images" in said(replies)
    assert asked(replies) == "labels"
    replies = chat.handle("we have about 2k labelled pics")
    # One line answers both questions, and the bot says how it read it.
    assert "2,000 labeled examples" in said(replies)
    assert chat.given.values["labels"] == "labeled"
    assert chat.given.values["labeled_examples"] == 2000
    # Medical data: where it may go is asked before the model.
    assert asked(replies) == "data_location"


def test_an_unreadable_answer_is_asked_again_kindly_with_suggestions(chat: Conversation) -> None:
    chat.handle(TICKETS)
    replies = chat.handle("blorp")
    unclear = [r for r in replies if isinstance(r, Unclear)]
    assert unclear and "couldn't read" in unclear[0].text
    assert unclear[0].suggestions  # the buttons' labels, or the closest values
    assert asked(replies) == "labels"
    assert "labels" not in chat.given.values


def test_a_count_without_a_number_offers_examples(chat: Conversation) -> None:
    answer_all(chat, [TICKETS, "yes"])
    replies = chat.handle("lots")
    unclear = [r for r in replies if isinstance(r, Unclear)]
    assert unclear and unclear[0].suggestions == chat.kb.question["labeled_examples"].examples
    assert asked(replies) == "labeled_examples"


def test_back_goes_to_the_previous_question_and_keeps_later_answers(chat: Conversation) -> None:
    answer_all(chat, [TICKETS, "yes", "2000"])
    replies = chat.handle("back")
    assert asked(replies) == "labeled_examples"
    replies = chat.handle("back")
    assert asked(replies) == "labels"
    previous = [r for r in replies if isinstance(r, Asked)][-1].previous
    assert previous == "yes"
    replies = chat.handle("yes")
    # The count is still known, so the next open question is the model size.
    assert asked(replies) == "model_size"


def test_back_on_the_first_question_says_so(chat: Conversation) -> None:
    replies = chat.handle("back")
    assert "first question" in said(replies)
    assert asked(replies) == "task"


def test_restart_forgets_everything(chat: Conversation, store: SessionStore) -> None:
    answer_all(chat, MEDICAL)
    assert store.load() is not None
    replies = chat.handle("start over")
    assert asked(replies) == "task"
    assert chat.given.values == {} and chat.report is None
    assert store.load() is None or store.load()["values"] == {}  # type: ignore[index]


def test_a_question_mid_flow_is_answered_with_citations_then_the_question_returns(
    chat: Conversation,
) -> None:
    chat.handle(TICKETS)
    replies = chat.handle("what is transfer learning?")
    explained = [r for r in replies if isinstance(r, Explained)]
    assert explained and "transfer learning" in explained[0].title.lower()
    assert explained[0].claims and all(c in chat.kb.claim for c in explained[0].claims)
    assert asked(replies) == "labels"
    assert "labels" not in chat.given.values


def test_help_explains_the_current_question(chat: Conversation) -> None:
    replies = chat.handle("help")
    explained = [r for r in replies if isinstance(r, Explained)]
    assert explained and explained[0].text == chat.kb.question["task"].help
    assert asked(replies) == "task"


def test_a_glossary_term_is_explained(chat: Conversation) -> None:
    replies = chat.handle("what does partially labeled mean?")
    explained = [r for r in replies if isinstance(r, Explained)]
    assert explained and explained[0].title == "partially labeled data"


def test_skip_only_for_optional_questions(chat: Conversation) -> None:
    replies = chat.handle("skip")
    assert "task" not in chat.given.values
    assert chat.current is not None and chat.current.id == "task"
    # No default for a task: a rough description will do, and examples of one are given.
    assert "rough answer is fine" in said(replies)
    assert any(example in said(replies) for example in chat.kb.question["task"].examples)
    replies = answer_all(chat, [*MEDICAL[:-1], "skip"])
    assert chat.given.values["hardware"] is None
    assert any(isinstance(r, Recommended) for r in replies)


def test_why_tells_the_decision_in_order_and_scores_only_where_they_decided(chat: Conversation) -> None:
    assert "finish the questions" in said(chat.handle("why?"))
    answer_all(chat, MEDICAL)  # $10k: nothing fits, so the cheapest plan is recommended
    lines = next(r for r in chat.handle("why?") if isinstance(r, Traced)).lines
    assert [line.kind for line in lines] == ["step", "step", "decided"]
    assert "The budget filters, it does not vote" in lines[1].text and "None fits" in lines[1].text
    assert lines[-1].text.startswith("I recommend transfer learning")
    assert "cheapest" in lines[-1].text
    assert not any(line.kind in ("applied", "missed") for line in lines)  # the scores did not decide
    chat.handle("actually the budget is $100k")  # two plans fit: the scores decide between them
    lines = next(r for r in chat.handle("why?") if isinstance(r, Traced)).lines
    steps = [line.heading for line in lines if line.kind == "step"]
    assert steps == [
        "1. Which can make the model",
        "2. Which fit the budget",
        "3. Which is best for your data",
    ]
    assert "transfer learning 5, supervised fine-tuning 2" in lines[2].text
    assert any(line.kind == "applied" and line.effects for line in lines)
    # A rule that did not apply names what it needed and what the person said.
    assert any(line.kind == "missed" and "you said 1,000" in line.text for line in lines)
    assert lines[-1].text.startswith("I recommend transfer learning") and "scores highest" in lines[-1].text


def test_what_if_shows_what_moves_without_keeping_it(chat: Conversation) -> None:
    answer_all(chat, MEDICAL)
    before = chat.report
    # More labels and the money supervised fine-tuning's weeks of work need: it fits, and wins.
    replies = chat.handle("what if we had 20k labeled examples and a budget of $100k?")
    compared = [r for r in replies if isinstance(r, Compared)]
    assert compared and not compared[0].kept
    assert compared[0].after.approach == "supervised"
    assert any("changes from transfer learning to supervised" in line for line in compared[0].moved)
    assert chat.report is before and chat.given.values["labeled_examples"] == 1000
    replies = chat.handle("keep it")
    assert chat.given.values["labeled_examples"] == 20000 and chat.given.values["budget_usd"] == 100_000
    assert chat.report is not None and chat.report.approach == "supervised"


def test_what_if_budget(chat: Conversation) -> None:
    answer_all(chat, MEDICAL)
    replies = chat.handle("what if my budget were $50k?")
    compared = [r for r in replies if isinstance(r, Compared)]
    assert compared and compared[0].after.normalized.answers.budget_usd == 50000
    assert compared[0].after.budget.level == "fits"
    assert any(line.startswith("Budget:") for line in compared[0].moved)


def test_an_unclear_what_if_asks_for_a_clearer_one(chat: Conversation) -> None:
    answer_all(chat, MEDICAL)
    replies = chat.handle("what if it rained")
    assert any(isinstance(r, Unclear) for r in replies)


def test_changing_an_answer_after_the_recommendation_compares(chat: Conversation) -> None:
    answer_all(chat, MEDICAL)
    replies = chat.handle("set the budget to $1k")
    compared = [r for r in replies if isinstance(r, Compared)]
    assert compared and compared[0].kept
    assert compared[0].after.budget.level == "over"
    assert chat.given.values["budget_usd"] == 1000


def test_edit_asks_an_earlier_question_again(chat: Conversation) -> None:
    answer_all(chat, MEDICAL)
    replies = chat.act("edit", "model_size")
    assert asked(replies) == "model_size"
    replies = chat.handle("GPT-3")
    compared = [r for r in replies if isinstance(r, Compared)]
    assert compared and compared[0].after.normalized.answers.values["model_size"] == 175e9


def test_unlabeled_data_drops_the_count_question(chat: Conversation) -> None:
    answer_all(chat, [TICKETS, "yes", "2000"])
    chat.act("edit", "labels")
    replies = chat.handle("no, only raw logs")
    assert "labeled_examples" not in chat.given.values
    assert asked(replies) == "unlabeled_examples"
    assert [q.id for q in chat.given.questions].count("labeled_examples") == 0


def test_answers_are_saved_as_they_are_given_and_resumed_after_a_crash(
    kb: KnowledgeBase, engine: Engine, store: SessionStore
) -> None:
    first = Conversation(kb, engine, store)
    first.start()
    answer_all(first, ["medical imaging", "labelled", "1k"])
    del first  # the chat "crashes" here: nothing else is written
    second = Conversation(kb, engine, store)
    replies = second.start()
    assert isinstance(second.mode, OfferingResume)
    replies_before = said(replies)
    replies = second.handle("resume")
    assert second.given.values == {
        "task": "medical imaging",
        "output": "category",
        "data": "images",
        "domain": "medical",
        "labels": "labeled",
        "labeled_examples": 1000,
    }
    # Every answer kept counts, the ones the task's words gave included.
    assert f"answered {len(second.given.values)} questions" in replies_before
    assert asked(replies) == "data_location"  # medical data: where it may go
    # What the person typed is kept, too.
    assert second.given.said["labels"] == "labelled"


def test_start_over_instead_of_resuming(kb: KnowledgeBase, engine: Engine, store: SessionStore) -> None:
    first = Conversation(kb, engine, store)
    first.start()
    first.handle(TICKETS)
    second = Conversation(kb, engine, store)
    second.start()
    replies = second.handle("start over")
    assert second.given.values == {} and asked(replies) == "task"


def test_the_resume_offer_reads_typos_and_waits_for_an_answer(
    kb: KnowledgeBase, engine: Engine, store: SessionStore
) -> None:
    first = Conversation(kb, engine, store)
    first.start()
    answer_all(first, [TICKETS, "labelled"])
    second = Conversation(kb, engine, store)
    second.start()
    saved = 2 + 2  # the task gives the output and the data, then the labels
    assert second.summary_line() == f"{saved} saved answers: resume, or start over"
    # Anything else neither resumes nor forgets: the offer stands, and nothing claims a
    # recommendation that was never given.
    for line in ("skip", "why", "blorp"):
        replies = second.handle(line)
        assert isinstance(second.mode, OfferingResume), line
        assert isinstance(replies[-1], Unclear) and "resume" in replies[-1].text
        assert "recommendation" not in said(replies)
    # A question is answered, and the offer made again.
    replies = second.handle("what is transfer learning?")
    assert any(isinstance(r, Explained) for r in replies) and isinstance(second.mode, OfferingResume)
    replies = second.handle("resum")
    assert second.given.values == {**TICKETS_TASK, "labels": "labeled"}
    assert asked(replies) == "labeled_examples"


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b"\xff\xfe binary",
        json.dumps({"version": 1, "values": {"labels": "[@click=app.quit]"}, "said": {}}).encode(),
        json.dumps({"version": 1, "values": ["a list"], "said": {}}).encode(),
        json.dumps({"version": 99, "values": {}, "said": {}}).encode(),
    ],
)
def test_a_damaged_state_file_starts_fresh(
    kb: KnowledgeBase, engine: Engine, store: SessionStore, content: bytes
) -> None:
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(content)
    chat = Conversation(kb, engine, store)
    replies = chat.start()
    assert not isinstance(chat.mode, OfferingResume)
    assert asked(replies) == "task"


def test_export_writes_a_report_and_an_answers_file_that_reproduces_it(
    chat: Conversation, kb: KnowledgeBase, engine: Engine, tmp_path: Path
) -> None:
    assert "nothing to export" in said(chat.act("export"))
    answer_all(chat, [TICKETS, "some", "800", "skip", "7B", "$25,000", "skip", "tpu"])
    replies = chat.handle("export")
    exported = [r for r in replies if isinstance(r, Exported)]
    assert exported
    report_path, answers_path = save_export(exported[0], tmp_path)
    assert chat.report is not None and chat.report.name in report_path.read_text()
    again = build_report(kb, engine, load_answers(str(answers_path), kb, strict=True))
    assert again.approach == chat.report.approach
    assert (again.cost.low, again.cost.high) == (chat.report.cost.low, chat.report.cost.high)
    # The picture of the cost is beside the report, which links it.
    chart = report_path.with_name("advisor-report-cost.svg")
    assert chart.read_text().startswith("<svg") and f"]({chart.name})" in report_path.read_text()
    # A second export does not overwrite the first, and links its own picture.
    second, _ = save_export(exported[0], tmp_path)
    assert second != report_path
    assert second.read_text() == report_path.read_text().replace(chart.name, f"{second.stem}-cost.svg")
    assert (tmp_path / f"{second.stem}-cost.svg").read_text() == chart.read_text()


def test_markup_typed_as_an_answer_is_kept_as_text(chat: Conversation) -> None:
    replies = chat.handle("[bold]x[/bold] [@click=app.quit]")
    assert any(isinstance(r, Unclear) for r in replies)
    assert "task" not in chat.given.values
    chat.handle("[b]images[/b]")
    assert chat.given.said.get("task") == "[b]images[/b]"


def test_a_pasted_document_is_declined(chat: Conversation) -> None:
    replies = chat.handle("x" * (MAX_LINE + 1))
    assert "long message" in said(replies)


def test_a_long_paragraph_of_answers_is_read_like_any_line(chat: Conversation) -> None:
    """The README invites several answers in one line: a paragraph of them is read, not refused."""
    filler = "We are a small team and this is our first project of this kind, so bear with me. " * 8
    paragraph = filler + "We classify support tickets; we have 5k labelled tickets, a budget of $3,000."
    assert len(paragraph) > 500
    replies = chat.handle(paragraph)
    assert "long message" not in said(replies)
    assert chat.given.values["labeled_examples"] == 5000
    assert chat.given.values["budget_usd"] == 3000


def _case_lines(kb: KnowledgeBase, answers: dict[str, Any]) -> Callable[[str], str | None]:
    def line(field: str) -> str | None:
        value = answers.get(field)
        return None if value is None else str(value)

    return line


@pytest.mark.parametrize(
    "name", [name for name, _ in load_cases(default_knowledge_dir())], ids=lambda n: n.split("/")[-1]
)
def test_parity_the_chat_and_recommend_agree_on_every_case(
    name: str, kb: KnowledgeBase, engine: Engine, cli: Callable[..., Any], tmp_path: Path
) -> None:
    case = dict(load_cases(default_knowledge_dir()))[name]
    # The chat asks the guided questions; overridden assumptions and the method are for files.
    guided = {q.id for q in kb.questions if q.guided}
    answers = {key: value for key, value in case.answers.items() if key in guided}
    expected = build_report(kb, engine, normalize(answers, kb))
    if answers == case.answers:
        assert expected.approach == case.expect.approach
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(yaml.safe_dump(answers), encoding="utf-8")
    run = cli("recommend", answers_file, "--format", "json")
    assert run.code == 0, run.err
    scripted = json.loads(run.out)["recommendation"]
    chat = Conversation(kb, engine)
    replies = chat.start()
    line = _case_lines(kb, answers)
    for _ in range(12):
        question = chat.current
        if question is None:
            break
        text = line(question.id)
        replies = chat.handle(text if text is not None else "skip")
    cards = [r for r in replies if isinstance(r, Recommended)]
    assert cards, f"the chat did not reach a recommendation for {name}"
    report = cards[0].report
    assert report.approach == expected.approach == scripted["approach"]
    assert (report.cost.low, report.cost.high) == (expected.cost.low, expected.cost.high)
    assert (round(report.cost.low, 2), round(report.cost.high, 2)) == (
        scripted["cost"]["low_usd"],
        scripted["cost"]["high_usd"],
    )
    assert [(c.category, round(c.low, 2), round(c.high, 2)) for c in report.cost.categories] == [
        (c["category"], c["low_usd"], c["high_usd"]) for c in scripted["cost"]["breakdown"]
    ]


# --- a choice's label typed back ----------------------------------------------------------------


def test_every_choice_label_typed_back_at_its_question_is_that_choice(kb: KnowledgeBase) -> None:
    """The chat shows "Medium (1B to 30B)": typed back, in any case, it is medium, not 1B
    parameters (nor "Small (BERT, ResNet)" ResNet's 25.6M, nor "Large (GPT-3)" 175B)."""
    from advisor.understanding import Understander

    understander = Understander(kb)
    for question in kb.questions:
        for choice in question.choices:
            for typed in (choice.label, choice.label.upper(), f"  {choice.label.lower()} "):
                heard = understander.understand(typed, at=question, known={}).values
                assert heard == {question.id: choice.value}, (typed, heard)


def test_the_model_size_label_typed_into_the_chat_is_the_size(chat: Conversation) -> None:
    chat.handle(TICKETS)
    chat.handle("labeled")
    chat.handle("2k")
    chat.handle("Medium (1B to 30B)")
    assert chat.given.values["model_size"] == "medium"


@pytest.mark.parametrize("line", ["set gpu_hour_usd to 1e300", "set engineer_usd_per_week to 1e30"])
def test_a_cost_no_answers_file_could_hold_is_refused_when_typed(chat: Conversation, line: str) -> None:
    """Refused at once, with why, not "Noted" and then a recommendation held back for it."""
    replies = chat.handle(line)
    assert chat.given.assumptions == {}
    assert "far more than any" in said(replies)
    assert "Noted" not in said(replies)
    replies = answer_all(chat, [TICKETS, "yes", "5k", "small", "$3k", "skip", "skip"])
    assert chat.report is not None


def test_a_cost_typed_within_the_policy_is_noted(chat: Conversation) -> None:
    replies = chat.handle("set gpu_hour_usd to 3")
    assert chat.given.assumptions == {"gpu_hour_usd": 3.0}
    assert "Noted" in said(replies)


def test_everything_in_one_line_skips_the_optional_questions_and_says_so(chat: Conversation) -> None:
    replies = chat.handle(
        "I have 5k labelled support tickets to classify, want to fine-tune BERT, budget 3000 dollars"
    )
    assert chat.done and chat.report is not None
    assert isinstance(replies[-1], Recommended)
    assert "skipped the optional questions (the team, the hardware): I count a market rate" in said(replies)
    assert chat.given.values["team"] is None and chat.given.values["hardware"] is None
    chat.handle("we do it in-house")  # still answerable afterwards
    assert chat.given.values["team"] == "in-house"


def test_a_line_of_answers_with_a_required_question_left_skips_nothing(chat: Conversation) -> None:
    """The optional count comes before the model and budget: it is asked, not skipped."""
    replies = chat.handle("classify support tickets, no labels yet, budget $20k")
    assert asked(replies) == "unlabeled_examples"
    assert "skipped" not in said(replies)


def test_answers_given_one_by_one_still_reach_the_optional_questions(chat: Conversation) -> None:
    replies = answer_all(chat, [TICKETS, "yes", "5k", "BERT", "$3k"])
    assert asked(replies) == "team"


def test_a_count_placed_from_the_data_mentioned_before_is_said(chat: Conversation) -> None:
    chat.handle("we want to classify 10k product photos")
    replies = chat.handle("yes")
    assert chat.given.values["labeled_examples"] == 10_000
    assert "So: 10,000 labeled examples, all of the data you mentioned." in said(replies)


def test_no_to_a_check_leaves_out_only_what_was_checked(kb: KnowledgeBase, engine: Engine) -> None:
    """ "2 labelled images" looks wrong and is asked about; a no leaves out the count alone, and
    the rest of the line (the task, the labels, the budget) is kept and said back."""
    chat = Conversation(kb, engine)
    chat.start(resume=False)
    replies = chat.handle("classify x-rays, 2 labelled images, budget $10k")
    confirm = next(r for r in replies if isinstance(r, Confirm))
    assert "no to leave out 2 labeled examples and keep the rest" in confirm.text
    assert chat.given.values == {}
    replies = chat.handle("no")
    assert chat.given.values == {
        "task": "classify x-rays, 2 labelled images, budget $10k",  # the line as typed
        "output": "category",
        "data": "images",
        "domain": "medical",
        "labels": "labeled",
        "budget_usd": 10000,
    }
    assert said(replies).startswith(
        "OK, I left out 2 labeled examples. I read: output: “A label per input”; kind of data: “Images”; "
        "domain: “Medical”; “Yes, labeled”; a $10,000 budget."
    )
    assert asked(replies) == "labeled_examples"
    # A line with nothing but the checked answer: a no notes nothing, and the question is asked again.
    replies = chat.handle("2")
    assert isinstance(chat.mode, Confirming)
    replies = chat.handle("no")
    assert "labeled_examples" not in chat.given.values and said(replies) == "OK, I haven't noted it."
    assert asked(replies) == "labeled_examples"


def test_what_a_task_left_open_is_still_asked_after_a_resume(
    kb: KnowledgeBase, engine: Engine, store: SessionStore
) -> None:
    first = Conversation(kb, engine, store)
    first.start()
    assert asked(first.handle("text")) == "output"  # the kind of data, but not what to produce
    store.close()
    second = Conversation(kb, engine, SessionStore(store.folder))
    second.start()
    replies = second.handle("resume")
    assert second.given.values == {"task": "text", "data": "text"}
    assert asked(replies) == "output"


def test_a_skipped_question_the_task_left_open_takes_its_likeliest_choice(chat: Conversation) -> None:
    """As an answers file does: the first of the choices the chat offered, not a fixed default."""
    chat.handle("product recommendations")
    likely = chat.given.wanted["data"]
    assert asked(chat.handle("skip")) == "labels"
    assert chat.given.values["data"] == likely[0]


@pytest.mark.parametrize(("said_as", "read"), [("$8k", "an $8,000 budget"), ("$11,000", "an $11,000 budget")])
def test_an_amount_read_back_takes_the_article_it_is_spoken_with(
    kb: KnowledgeBase, engine: Engine, said_as: str, read: str
) -> None:
    chat = Conversation(kb, engine)
    chat.start()
    replies = chat.handle(f"classify support tickets, 5k labelled, BERT, {said_as}")
    assert read in " ".join(said(replies).split()), said(replies)
