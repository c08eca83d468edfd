"""People and what their time costs, read from a line: "we have 2 ML engineers" is the team's size
(and one's own team), never money; "freelancer, 650 dollar per day" is what a week of a hire
costs, never the budget.
"""

from __future__ import annotations

from advisor.kb.fields import OWN_TEAM, TEAM
from advisor.understanding.amounts import Placed
from advisor.understanding.assumptions import Assumed
from advisor.understanding.hearing import Hearing
from advisor.understanding.results import Heard

__all__ = ["hear_people", "rates_said"]


def hear_people(reading: Hearing, people: list[Placed]) -> None:
    """A number of people is the team's size, never money ("we have 2 ML engineers")."""
    question = reading.parts.amounts.people
    if question is None or not people:
        return
    if len({item.number.value for item in people}) > 1:
        text = reading.line.answer_text
        only = [
            item for item in people if text[: item.number.start].rstrip().lower().endswith(("only", "just"))
        ]
        if len(only) == 1:  # "a team of 5, but only 2 know ML"
            people = only
    if len({item.number.value for item in people}) > 1:
        both = " and ".join(item.number.words for item in people[:2])
        reading.problems.append(f"I read two numbers of people ({both}); how many will work on it?")
        return
    number = people[0].number
    words = people[0].clause.text.strip()
    reading.hear(Heard(question.id, int(number.value), words))
    team = reading.kb.question.get(TEAM)
    unsaid = team is not None and TEAM not in reading.heard and TEAM not in reading.known
    # People counted with no word of hiring are the person's own ("3 data scientists").
    if unsaid and team is not None and any(choice.value == OWN_TEAM for choice in team.choices):
        reading.hear(Heard(TEAM, OWN_TEAM, words))


def rates_said(reading: Hearing, rates: list[Placed]) -> list[Assumed]:
    """A rate for people's time sets the weekly cost of whoever does the work, never the budget."""
    team = reading.heard[TEAM].value if TEAM in reading.heard else reading.known.get(TEAM)
    found: dict[str, Assumed] = {}
    for item in rates:
        if item.number.negative or item.number.value <= 0:
            continue
        weekly = reading.parts.money.weekly(item.number, team)
        if weekly is None:
            continue
        if weekly.id in found and found[weekly.id].value != weekly.value:
            reading.problems.append(
                f"I read two rates ({found[weekly.id].words} and {weekly.words}); which is it?"
            )
            del found[weekly.id]
            continue
        found[weekly.id] = weekly
    return list(found.values())
