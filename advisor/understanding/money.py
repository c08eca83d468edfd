"""Amounts in other currencies and rates for people's time, in US dollars.

"€20k" is a budget of about $23,400 at the exchange rate the knowledge base
names (``usd_per_eur``, dated, with where to check today's); "30k euros, so
~32k dollars" is $32,000 (the dollar figure said wins). "freelancer, 650
dollar per day" is no budget: it is what a week of a hire costs (650 × 5 days
= $3,250, ``engineer_usd_per_week``), or of one's own team
(``inhouse_usd_per_week``). Each conversion is a named assumption the reply
and the report show; a currency without a named rate is said back and asked
for in dollars, and the rest of the line is kept.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.formatting import format_usd
from advisor.kb.base import KnowledgeBase
from advisor.kb.fields import ENGINEER_USD_PER_WEEK, INHOUSE_USD_PER_WEEK, OWN_TEAM, PER_WEEK, USD_PER
from advisor.kb.models import Assumption
from advisor.numbers import Number
from advisor.records import dataclass
from advisor.understanding.assumptions import Assumed

__all__ = ["Converted", "Money"]

_SIGNS = {"euros": "€", "pounds": "£"}


@dataclass(frozen=True, slots=True)
class Converted:
    """The numbers of a line, those said in another currency in dollars where a rate is named."""

    numbers: list[Number]
    rates: list[Assumed]
    """The exchange rates used (each an assumption the answers pin), with what they made."""
    problems: list[str]
    """Amounts in a currency without a named rate: left out, and asked for in dollars."""


class Money:
    """Converts a line's amounts with a knowledge base's named rates."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._rates: dict[str, Assumption] = {
            currency: kb.assumption[name] for currency, name in USD_PER.items() if name in kb.assumption
        }
        self._per_week: dict[str, Assumption] = {
            period: kb.assumption[name] for period, name in PER_WEEK.items() if name in kb.assumption
        }
        self._own = kb.assumption.get(INHOUSE_USD_PER_WEEK)
        self._hired = kb.assumption.get(ENGINEER_USD_PER_WEEK)
        """Whose week a rate prices: one's own team's, or anyone else's (a hire, or a market rate)."""

    def convert(self, numbers: list[Number]) -> Converted:
        """Every amount in euros or pounds in dollars; amounts in a currency without a rate (or
        in lakh and crore) left out, with a problem each. When the line also gives an amount in
        dollars ("30k euros, so ~32k dollars"), that one is the amount: the others are left out."""
        dollars_said = any(n.money and n.per is None and not n.indian for n in numbers)
        kept: list[Number] = []
        rates: dict[str, Assumed] = {}
        problems: list[str] = []
        for number in numbers:
            currency = "rupees" if number.indian and (number.money or number.per) else number.currency
            if currency is None:
                kept.append(number)
                continue
            if dollars_said and number.per is None:
                continue  # the dollar figure said beside it is the amount
            rate = self._rates.get(currency)
            if rate is None:
                problems.append(
                    f"I can't convert {currency} ({number.words}) to US dollars; please give that amount "
                    "in US dollars"
                )
                continue
            value = number.value * rate.low
            sign = _SIGNS.get(currency, "")
            said = f"{sign}{number.value:,.0f}" if sign else f"{number.value:,.0f} {currency}"
            when = f", as of {rate.as_of}" if rate.as_of else ""
            meaning = f"{said} ≈ {format_usd(value)} at {rate.low:g} $/{sign or currency} ({rate.id}{when})"
            earlier = rates.get(rate.id)
            if earlier is not None and earlier.meaning:
                meaning = f"{earlier.meaning}; {meaning}"
            rates[rate.id] = Assumed(rate.id, rate.low, number.words, meaning)
            kept.append(replace(number, value=value, money=True, currency=None))
        return Converted(kept, list(rates.values()), problems)

    def weekly(self, number: Number, team: str | None) -> Assumed | None:
        """The weekly cost a rate sets (``number``, in dollars, with its period): a hire's, or one's
        own team's; ``None`` without the assumptions to work it out."""
        target = self._own if team == OWN_TEAM else self._hired
        if target is None or number.per is None:
            return None
        per, said = number.per, format_usd(number.value)
        whose = f"{'your own team' if team == OWN_TEAM else 'a hire'}'s cost per engineer-week"
        if per == "week":
            return Assumed(target.id, float(number.value), number.words, f"{whose}: {said} ({target.id})")
        factor = self._per_week.get(per)
        if factor is None or factor.low <= 0:
            return None
        if per in ("hour", "day"):
            value = number.value * factor.low
            how = f"× {factor.low:g} {per}s ({factor.id})"
        else:
            value = number.value / factor.low
            how = f"÷ {factor.low:g} weeks a {per} ({factor.id})"
        meaning = f"{whose}: {said} a {per} {how} = {format_usd(value)} ({target.id})"
        return Assumed(target.id, float(round(value, 2)), number.words, meaning)
