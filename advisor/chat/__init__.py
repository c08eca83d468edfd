"""The chat, without a screen: the conversation's state machine and what it needs.

::

    replies        what the chat says (small dataclasses any view can show)
    intents        what a typed line asks for: a command, a what-if, a change, an answer
    lookup         newcomer questions answered from the FAQ and the glossary
    trace          "why?" in plain language
    store          the saved answers, so a closed chat can resume
    conversation   the state machine: the next question, the answers, the report

The Textual view (:mod:`advisor.tui`) and ``advisor ask`` sit on top of it.
"""
