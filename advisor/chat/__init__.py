"""The chat, without a screen: the conversation's state machine and what it needs.

::

    replies        what the chat says (small dataclasses any view can show)
    intents        what a typed line asks for first: a command, a yes or no, a what-if, a correction
    followups      questions answered, never recorded: "why not supervised?", "what would it cost?"
    lookup         newcomer questions answered from the FAQ and the glossary
    wording        how the chat says back what it read and what changed
    trace          "why?" in plain language
    modes          the chat's modes, one at a time, the events each takes, the options a person has
    given          the answers and their history: which question is next, restart and undo
    store          the saved answers, so a closed chat can resume
    saving         saving after each answer, the offer to resume, the goodbye
    lines          a typed line read whole (advisor.understanding): answers, questions, corrections
    whatif         a what-if in answers
    export         the report and the answers file, saved into a folder
    conversation   the state machine: the mode, the moves between modes, what each event does

The Textual view (:mod:`advisor.tui`) and ``advisor ask`` (:mod:`advisor.ask`) sit on top of it.
"""
