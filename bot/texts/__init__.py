"""Every word Tiny Steps says to people, in one place so it can be reviewed and translated:
one module per audience (staff in chat, the schedule, admins, the web chat, Teams, operators).

Keep it warm, short and plain. Command words appear in backticks so every platform can show
them as code; renderers treat everything else as plain text. Callers say `texts.NAME`; a new
word goes in its audience's module and is found here without further ado.
"""

from bot.texts.admin import *  # noqa: F403
from bot.texts.chat import *  # noqa: F403
from bot.texts.evidence import *  # noqa: F403
from bot.texts.evidence_report import *  # noqa: F403
from bot.texts.format import MAX_ENTRY_CHARS as MAX_ENTRY_CHARS
from bot.texts.leaders import *  # noqa: F403
from bot.texts.operator import *  # noqa: F403
from bot.texts.schedule import *  # noqa: F403
from bot.texts.sharing import *  # noqa: F403
from bot.texts.teams import *  # noqa: F403
from bot.texts.web import *  # noqa: F403
