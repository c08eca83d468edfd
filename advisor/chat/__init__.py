"""The chat, without a screen: the conversation's state machine and what it needs.

::

    replies        what the chat says (small dataclasses any view can show)
    intents        what a typed line asks for first: a command, a yes or no, a what-if, a correction
    followups      questions answered, never recorded: "why not supervised?", "what would it cost?"
    lookup         newcomer questions answered from the FAQ and the glossary
    wording        how the chat says back what it read and what changed
    trace          "why?" in plain language
    store          the saved answers, so a closed chat can resume
    session        the answers, which question is next, saving, restart and undo, the report
    conversation   a typed line read whole (advisor.understanding) and what it does to the session

The Textual view (:mod:`advisor.tui`) and ``advisor ask`` (:mod:`advisor.ask`) sit on top of it.
"""
