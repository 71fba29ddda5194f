"""The conversation: one event in, neutral replies out (`core`), with what each command and
button does (`actions`), how words are read (`commands`, `entries`), the forms, replies, home
page and settings said in chat."""

from bot.conversation.core import Conversation, CoreConfig
from bot.conversation.owed import Answer, Owed

__all__ = ["Answer", "Conversation", "CoreConfig", "Owed"]
