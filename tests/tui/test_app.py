"""The chat driven by Pilot: whole conversations, as a person types and clicks them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers import MEDICAL, SHOES, SHOES_TASK, TICKETS, TICKETS_TASK
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Collapsible, Input

from advisor.answers import asked as asked_at
from advisor.chat.modes import OfferingResume
from advisor.chat.store import SessionStore
from advisor.conditions import holds
from advisor.kb import KnowledgeBase
from advisor.tui.app import AdvisorApp, create_app
from advisor.tui.screens import CitationScreen
from advisor.tui.widgets import (
    BotMessage,
    ComparisonCard,
    RecommendationCard,
    ReplyButton,
    UserMessage,
)

SIZE = (80, 24)


async def type_line(pilot: Pilot[None], text: str) -> None:
    input_widget = pilot.app.query_one("#input", Input)
    input_widget.value = text
    await pilot.press("enter")
    await pilot.pause()


def bot_texts(app: AdvisorApp) -> list[str]:
    return [str(message.render()) for message in app.query(BotMessage)]


def current_question(app: AdvisorApp) -> str | None:
    question = app.conversation.current
    return question.id if question else None


def last_question_on_screen(app: AdvisorApp) -> str:
    """The text of the last question the transcript shows."""
    return str(app.query("BotMessage.question").last().render())


def status(app: AdvisorApp) -> str:
    return str(app.query_one("#status").render())


async def test_the_first_question_is_on_screen_at_start(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current_question(app) == "task"
        assert any("What do you want the model to do?" in text for text in bot_texts(app))
        assert app.focused is app.query_one("#input", Input)
        labels = [str(button.label) for button in app.query(Button)]
        assert labels == [*(c.label for c in app.kb.question["task"].choices), "Explain"]


async def test_a_whole_conversation_by_typing(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        cards = list(app.query(RecommendationCard))
        assert len(cards) == 1
        assert cards[0].report.approach == "transfer-learning"
        # The person's lines are in the transcript, as typed.
        said = [str(m.render()) for m in app.query(UserMessage)]
        assert said[:3] == list(MEDICAL[:3])
        assert "Transfer learning" in str(app.query_one("#status").render())


async def test_quick_reply_buttons_answer_the_question(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, TICKETS)
        button = next(b for b in app.query(ReplyButton) if b.option.value == "unlabeled")
        await pilot.click(button)
        await pilot.pause()
        assert app.conversation.given.values["labels"] == "unlabeled"
        assert str(app.query(UserMessage).last().render()) == "Only raw data"
        # No labeled count for unlabeled data: how much data without labels is next, on screen and
        # in the status line (of the questions the chat asks, the labeled count no longer counts).
        assert "without labels" in last_question_on_screen(app)
        values = app.conversation.given.values
        asked = [q for q in app.kb.questions if q.guided and asked_at(q, values)]
        asked = [q for q in asked if holds(q.offer_when, values)]
        assert status(app) == f"Question 3 of {len(asked)}"
        assert app.focused is app.query_one("#input", Input)


async def test_the_buttons_are_the_conversations_options_at_every_step(
    make_app: Callable[..., AdvisorApp],
) -> None:
    """The view decides nothing: its buttons and its hint are what the conversation offers."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in [TICKETS, "labeled", "2", "no", "2k", "small", "$10k", "skip", "skip", "restart"]:
            options = app.conversation.options
            assert [b.option for b in app.query(ReplyButton)] == list(options), line
            assert app.query_one("#input", Input).placeholder == app.conversation.hint
            await type_line(pilot, line)


async def test_an_unreadable_answer_is_asked_again(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, TICKETS)
        await type_line(pilot, "blorp")
        assert any("couldn't read" in text for text in bot_texts(app))
        assert current_question(app) == "labels"


async def test_back_key_and_restart_key(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, TICKETS)
        await type_line(pilot, "yes")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert current_question(app) == "labels"
        assert "Do you have labeled examples" in last_question_on_screen(app)
        assert "Last time you said: yes" in last_question_on_screen(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert current_question(app) == "task"
        assert app.conversation.given.values == {}
        assert any("Type undo to get your answers back" in text for text in bot_texts(app))
        assert "What do you want the model to do?" in last_question_on_screen(app)


async def test_faq_question_mid_flow(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, TICKETS)
        await type_line(pilot, "why is fine-tuning expensive?")
        assert any("Why is fine-tuning expensive?" in text for text in bot_texts(app))
        assert current_question(app) == "labels"


async def test_faq_answer_before_the_recommendation_cites_its_sources(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "what is transfer lerning?")
        answer = app.query("BotMessage.explained").last()
        text = str(answer.render())
        assert "Sources:" in text and "The Price of Precision" in text
        entry = next(e for e in app.kb.faq if e.id == "what-is-transfer-learning")
        price = [c for c in entry.claims if app.kb.claim[c].source == app.kb.sources[0].id]
        app.action_cite(",".join(price))
        await pilot.pause()
        assert isinstance(app.screen, CitationScreen)
        shown = str(app.screen.query_one("#quotes").render())
        assert all(app.kb.claim[c].quote in shown for c in price)
        await pilot.press("escape")
        assert current_question(app) == "task"


async def test_why_and_what_if_after_the_recommendation(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        await pilot.press("f2")
        await pilot.pause()
        assert any("How I decided" in text and "Which fit the budget" in text for text in bot_texts(app))
        await type_line(pilot, "what if we had 20k labeled examples and a $100k budget?")
        comparisons = list(app.query(ComparisonCard))
        assert comparisons and not comparisons[-1].compared.kept
        # The approach changes, so the new recommendation is shown in full.
        assert app.query(RecommendationCard).last().report.approach == "supervised"
        keep = next(b for b in app.query(ReplyButton) if b.option.action == "keep")
        await pilot.click(keep)
        await pilot.pause()
        assert app.conversation.given.values["labeled_examples"] == 20000
        assert app.conversation.given.values["budget_usd"] == 100_000
        assert any(text == "Kept." for text in bot_texts(app))
        assert status(app).startswith("Recommendation: Supervised fine-tuning")


async def test_clicking_an_earlier_answer_asks_it_again(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        budget = next(m for m in app.query(UserMessage) if m.field == "budget_usd")
        budget.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(budget)
        await pilot.pause()
        assert current_question(app) == "budget_usd"
        await type_line(pilot, "$50k")
        compared = app.query(ComparisonCard).last().compared
        assert compared.kept and compared.after.budget.level == "fits"


async def test_export_writes_files(make_app: Callable[..., AdvisorApp], tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        await pilot.press("f3")
        await pilot.pause()
        assert (tmp_path / "advisor-report.md").is_file()
        assert "data: images" in (tmp_path / "advisor-answers.yaml").read_text()


async def test_a_citation_opens_its_quote(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        report = app.conversation.report
        assert report is not None
        claim = report.citations[0]
        app.action_cite(claim.id)
        await pilot.pause()
        assert isinstance(app.screen, CitationScreen)
        shown = str(app.screen.query_one("#quotes").render())
        assert claim.quote in shown
        source = app.kb.source[claim.source]
        assert source.title in " ".join(shown.split()) and source.file not in shown  # titles, not files
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CitationScreen)


async def test_resume_after_a_simulated_crash(make_app: Callable[..., AdvisorApp]) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        for line in MEDICAL[:3]:
            await type_line(pilot, line)
    # The first app is gone without any goodbye; a new one offers to resume.
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("Welcome back" in text for text in bot_texts(second))
        resume = next(b for b in second.query(ReplyButton) if b.option.action == "resume")
        await pilot.click(resume)
        await pilot.pause()
        assert second.conversation.given.values["labeled_examples"] == 1000
        assert any("Here is where we were." in text for text in bot_texts(second))
        # Medical data: where it may go is the next question.
        assert "may the data go to a cloud provider" in last_question_on_screen(second)


async def test_a_failure_to_save_shows_at_once_in_the_status_line(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.write_text("a file where the folder should be", encoding="utf-8")
    app = create_app(kb, store=SessionStore(folder), export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert "Not saved" not in status(app)
        await type_line(pilot, TICKETS)
        assert status(app).startswith("Question 2 of") and "Not saved: " in status(app)
        assert any("could not save your answers" in text for text in bot_texts(app))
        folder.unlink()
        await type_line(pilot, "labelled")
        assert "Not saved" not in status(app)


async def test_two_chats_at_once_each_keep_their_own_answers(make_app: Callable[..., AdvisorApp]) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await type_line(pilot, TICKETS)
        second = make_app()  # while the first is open
        async with second.run_test(size=SIZE) as other:
            await other.pause()
            assert any("Another advisor chat is open" in text for text in bot_texts(second))
            assert not isinstance(second.conversation.mode, OfferingResume)
            await type_line(other, SHOES)
        await type_line(pilot, "labelled")
        assert first.conversation.given.values == {**TICKETS_TASK, "labels": "labeled"}
    third = make_app()
    async with third.run_test(size=SIZE) as pilot:
        await type_line(pilot, "resume")
        assert third.conversation.given.values == {**TICKETS_TASK, "labels": "labeled"}


async def test_escape_codes_pasted_are_dropped_and_the_rest_is_read(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, "\x1b]0;pwned\x07\x1b[31mclassify photos of shoes\x1b[0m")
        assert [str(message.render()) for message in app.query(UserMessage)] == [SHOES]
        assert app.conversation.given.values == SHOES_TASK


async def test_markup_in_answers_is_shown_literally_and_never_runs(
    make_app: Callable[..., AdvisorApp],
) -> None:
    app = make_app()
    hostile = "[bold]x[/bold] [@click=app.quit]click me[/] [ @click=app.quit]y[/] [$accent]z"
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, hostile)
        message = app.query(UserMessage).last()
        assert str(message.render()) == hostile
        await pilot.click(message)
        await pilot.pause()
        assert app.is_running
        # The bot quotes it back literally too.
        assert any("[@click=app.quit]" in text for text in bot_texts(app))


async def test_command_palette_lists_the_actions(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_line(pilot, TICKETS)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Explain the question", "Back", "Why?", "Export", "Restart", "Change answer: task"):
            assert title in titles


async def test_page_keys_scroll_the_transcript_while_typing(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        await type_line(pilot, "why?")
        transcript = app.query_one("#transcript")
        start = transcript.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y > start
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert transcript.scroll_y < start
        assert app.focused is app.query_one("#input", Input)


async def test_the_card_lists_every_assumption_and_source(make_app: Callable[..., AdvisorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for line in MEDICAL:
            await type_line(pilot, line)
        card = app.query_one(RecommendationCard)
        documents = len({claim.source for claim in card.report.citations})
        titles = [str(c.title) for c in card.query(Collapsible)]
        assert f"Sources: {len(card.report.citations)} quotes from {documents} documents" in titles
        assumptions = str(card.query_one(".assumptions").render())
        sources = " ".join(str(card.query_one(".sources").render()).split())
        for assumption, _, _ in card.report.assumptions:
            assert f"{assumption.named} = " in assumptions
        for number, claim in enumerate(card.report.citations, start=1):
            assert f"[{number}] \u201c{' '.join(claim.quote.split())}\u201d" in sources


async def test_lines_typed_ahead_in_one_burst_stay_apart(make_app: Callable[..., AdvisorApp]) -> None:
    """Keys that arrive together (a browser on a slow link) are read line by line, not merged."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for line in MEDICAL:
            for character in line:
                app.post_message(events.Key(character, character))
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause(0.5)
        await pilot.pause()
        assert [str(m.render()) for m in app.query(UserMessage)] == list(MEDICAL)
        assert app.conversation.done
        assert app.query_one("#input", Input).value == ""
