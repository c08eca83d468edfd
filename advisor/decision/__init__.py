"""The decision, in rooms of its own. Each module imports only the ones listed before it.

- :mod:`~advisor.decision.formulas`, :mod:`~advisor.decision.estimates` and
  :mod:`~advisor.decision.costs`: the cost model, its formulas compiled once and evaluated on
  draws, scenarios or single numbers alike, and the percentile intervals it gives.
- :mod:`~advisor.decision.ranking`: how the approaches are ordered once the rules and the
  costs are known, in one function; the decision, the what-ifs and the sensitivity all ask it.
- :mod:`~advisor.decision.rule_groups` and :mod:`~advisor.decision.rules`: the rules
  compiled, read in groups that test the same fields, and the advice an outcome earns.
- :mod:`~advisor.decision.answer_space`: which questions are asked, what completes the
  answers, and the values of each that can make a difference.
- :mod:`~advisor.decision.engine`: :class:`~advisor.decision.engine.Engine` decides for a
  set of answers and gives a :class:`~advisor.decision.engine.Decision`.
- :mod:`~advisor.decision.what_if` and :mod:`~advisor.decision.sensitivity`: what would
  change the decision or its cost ("would win if", savings, swings, flips, the worst case).

Nothing is imported here: a caller imports the room it needs.
"""
