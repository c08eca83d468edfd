"""The chat (Textual). Imported only when the chat opens."""
