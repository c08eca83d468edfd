"""The answer fields the advisor's code relies on by name.

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

__all__ = ["ASSUMPTIONS", "BUDGET", "EXAMPLES_TO_LABEL", "LABELED_EXAMPLES", "MODEL_SIZE", "REQUIRED_KINDS"]

BUDGET: Final = "budget_usd"
LABELED_EXAMPLES: Final = "labeled_examples"
MODEL_SIZE: Final = "model_size"

EXAMPLES_TO_LABEL: Final = "examples_to_label"
"""Not a question: the labeled examples an approach wants beyond those the person has.
Cost lines use it as a factor (``{answer: examples_to_label}``)."""

ASSUMPTIONS: Final = "assumptions"
"""The answers file's key for overridden cost assumptions; every other key is a question's id."""

REQUIRED_KINDS: Final = {BUDGET: "money", LABELED_EXAMPLES: "count", MODEL_SIZE: "model_size"}
"""The questions a knowledge base must have, with the kind each must be."""
