"""One way to refuse: an exception that carries the words to say, kindly, to the person.

Each kind of refusal (an entry that can't be logged, a time or calendar that can't be read, a
web-chat request the directory won't do) is its own subclass, so a caller catches only what
it expects; the reply is always `refusal.reply`.
"""

from __future__ import annotations


class Refusal(ValueError):
    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply
