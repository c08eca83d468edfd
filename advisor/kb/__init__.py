"""The knowledge base: YAML files turned into one trusted, frozen object.

::

    safeyaml     YAML from people (knowledge files through libyaml): no aliases, tags or duplicate keys
    controls     characters a terminal would obey (escape sequences, bidi overrides): refused in text
    schema       how the dataclasses tell pydantic their constraints, without importing it
    models       the dataclasses: sources, claims, questions, rules, costs, glossary, FAQ, cases
    base         KnowledgeBase (the parts together, with look-ups by id) and the file names
    validation   pydantic over the models, and messages that name file and line
    references   what no single file can check: ids, citations, fields and values
    intervals    what each cost formula can come to over every range: no division by 0, no negative cost
    plain        dataclasses to JSON and back without pydantic
    cache        a checked base kept as JSON, keyed by everything it depends on
    loader       load_knowledge: the cache, or all of the above

Everything else in the advisor reads a :class:`KnowledgeBase` and never a file.
"""

from advisor.kb.base import FILES, KnowledgeBase, iter_leaves
from advisor.kb.loader import default_knowledge_dir, load_cases, load_knowledge

__all__ = ["FILES", "KnowledgeBase", "default_knowledge_dir", "iter_leaves", "load_cases", "load_knowledge"]
