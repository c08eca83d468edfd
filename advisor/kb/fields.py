"""The answer fields, and the cost model's quantities, that the advisor's code relies on by name.

The answers file's fields are a contract (DESIGN.md) and the knowledge base's
questions fill them: their prompts, kinds, choices, aliases and when they are
asked all live in ``questions.yaml``. Code needs to know three of them by
name: the budget (to judge costs against), the labeled examples (to count
what is still to label) and the model size (to suggest a smaller one). They
are named here and nowhere else; ``kb check`` refuses a knowledge base
without them, or with one of another kind.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "APPROACH",
    "ASSUMED",
    "ASSUMPTIONS",
    "BUDGET",
    "BUDGET_TIGHT",
    "CLOUD",
    "DATA",
    "DATA_LOCATION",
    "DOMAIN",
    "ENGINEER_WEEKS",
    "GPUS",
    "GPUS_FULL",
    "HARDWARE",
    "INFEASIBLE",
    "LABELED_EXAMPLES",
    "METHOD",
    "MODEL_GB",
    "MODEL_PARAMS",
    "MODEL_SIZE",
    "OUTPUT",
    "QUANTITIES",
    "RATES",
    "REQUIRED_KINDS",
    "SERVING",
    "SMALL_TIER",
    "TASK",
    "TASK_FIELDS",
    "TO_LABEL",
]

BUDGET: Final = "budget_usd"
TASK: Final = "task"
"""The task in the person's words; reading it fills :data:`TASK_FIELDS`."""
OUTPUT: Final = "output"
DATA: Final = "data"
DOMAIN: Final = "domain"
TASK_FIELDS: Final = (OUTPUT, DATA, DOMAIN)
"""What a task description says: what the model produces, from what data, in which domain. Each is
a choice question of its own, filled from the description unless given."""
DATA_LOCATION: Final = "data_location"
"""Where the data may go: anywhere, in the person's region, or only their own machines."""
ASSUMED: Final = "assumed"
"""The answers file's list of the fields whose answer was assumed: the person was not sure."""
LABELED_EXAMPLES: Final = "labeled_examples"
UNLABELED_EXAMPLES: Final = "unlabeled_examples"
MODEL_SIZE: Final = "model_size"

METHOD: Final = "method"
"""The fine-tuning method (full, LoRA, QLoRA): a question; when it is not answered, the engine
takes the choice whose ``default_from_params`` fits the model's size."""

MODEL_PARAMS: Final = "model_params"
"""Not a question: the model's parameter count, as given or typical of the size given. Rules and
formulas may use it."""

APPROACH: Final = "approach"
"""Not a question: the approach being costed (tables choose by it), or the one recommended
(rules that add caveats and next steps may test it)."""

TO_LABEL: Final = "to_label"
GPUS: Final = "gpus"
GPUS_FULL: Final = "gpus_full"
ENGINEER_WEEKS: Final = "engineer_weeks"
HARDWARE: Final = "hardware"
"""What the work runs on: a choice whose ``cannot`` says why a plan flagged :data:`INFEASIBLE`
cannot run there."""
INFEASIBLE: Final = "infeasible"
"""1 when the hardware named cannot run the plan (it is then priced on rented GPUs)."""
CLOUD: Final = "cloud"
"""1 when the work runs on rented machines, 0 on the person's own hardware."""
SMALL_TIER: Final = "small_tier"
"""1 when a 24 GB GPU holds the method."""
MODEL_GB: Final = "model_gb"
SERVING: Final = "serving_usd_per_month"
"""What running the model costs a month: the sum of one quantity per way of serving it (a CPU
machine, a GPU endpoint), whose ``text`` says which."""
QUANTITIES: Final = (
    TO_LABEL,
    GPUS,
    GPUS_FULL,
    ENGINEER_WEEKS,
    INFEASIBLE,
    CLOUD,
    SMALL_TIER,
    MODEL_GB,
    SERVING,
)
"""The cost model's quantities the report speaks of (labels to buy, GPUs for the method and for
full fine-tuning, engineer-weeks, whether the hardware named can run it, running it a month):
``kb check`` requires them in ``costs.yaml``."""

ASSUMPTIONS: Final = "assumptions"
"""The answers file's key for overridden cost assumptions; with :data:`INTERVAL`, the only keys
that are not a question's id."""
INTERVAL: Final = "interval"
"""The answers file's optional percentile interval for the ranges, such as ``[5, 95]``."""

BUDGET_TIGHT: Final = "budget_tight_percentile"
"""The assumption that says which percentile of a plan's cost draws must be within the budget
for it to fit with room (a plan whose median fits but not this is "tight"); it never decides."""

TEAM: Final = "team"
"""Who does the work: its choice says whose cost a rate said in the chat sets (one's own team's
or a hire's)."""
OWN_TEAM: Final = "in-house"
"""The team's choice for the person's own people: a rate said for them sets their weekly cost, and
people counted with no word of hiring are taken as theirs."""
TEAM_SIZE: Final = "team_size"
"""How many people work at once: a number of people, never money."""
ENGINEER_USD_PER_WEEK: Final = "engineer_usd_per_week"
INHOUSE_USD_PER_WEEK: Final = "inhouse_usd_per_week"
"""The weekly costs of a hire and of one's own team: what a rate said in the chat sets."""

PER_WEEK: Final = {
    "hour": "hours_per_week",
    "day": "days_per_week",
    "month": "weeks_per_month",
    "year": "weeks_per_year",
}
"""The assumption that turns a rate per hour, day, month or year into one per week: multiply by
it (hours, days), or divide (months, years)."""
USD_PER: Final = {"euros": "usd_per_eur", "pounds": "usd_per_gbp"}
"""The exchange rate, by currency (as :mod:`advisor.numbers` names it), that turns an amount
said in that currency into US dollars."""
RATES: Final = (*PER_WEEK.values(), *USD_PER.values())
"""The assumptions the chat reads rates and other currencies with: no formula uses them, and
``kb check`` counts them as used."""

REQUIRED_KINDS: Final = {BUDGET: "money", LABELED_EXAMPLES: "count", MODEL_SIZE: "model_size"}
"""The questions a knowledge base must have, with the kind each must be."""
