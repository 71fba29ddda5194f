"""Hostile texts for the repost tests of every platform, and the repost they go into.

Each text is something a person could put in what Tiny Steps reposts to a channel: their
words, their display name, a department's name (admins choose those), a school's name. Each
says what it tries; the Slack and Teams tests send every one through the real messenger and
check what the fake platform actually received.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Button, Buttons, Content, Fields, Paragraph, Quote


@dataclass(frozen=True, slots=True)
class Hostile:
    name: str  # the test id
    text: str
    tries: str


HOSTILE: tuple[Hostile, ...] = (
    # --- Slack's special mentions and tokens ------------------------------------------------
    Hostile("channel", "<!channel> read this now", "notify everyone in the channel"),
    Hostile("here", "<!here>", "notify everyone online"),
    Hostile("everyone", "<!everyone> all hands", "notify the whole workspace"),
    Hostile("here_labelled", "<!here|here> look", "a broadcast with a label"),
    Hostile("subteam", "<!subteam^S0123ABC|@leaders> review", "notify a user group"),
    Hostile("date", "<!date^1392734382^{date_pretty}|Feb 18> due", "a date token: live markup"),
    Hostile("user", "Thanks <@U0123ABCD>!", "notify one person"),
    Hostile("user_labelled", "<@U0123ABCD|sam> did it", "a user mention with a label"),
    Hostile("channel_link", "see <#C0123ABCD|general>", "link (and advertise) a channel"),
    Hostile(
        "disguised_link",
        "<https://evil.example|https://good.example>",
        "a link whose label names another address",
    ),
    Hostile("mailto", "<mailto:ceo@evil.example|Email the head>", "a disguised mail link"),
    Hostile("link_token", "<https://evil.example>", "a bare link token"),
    Hostile("pre_escaped", "&lt;!here&gt;", "entities that must not decode into a mention"),
    Hostile("double_escaped", "&amp;lt;!channel&amp;gt;", "entities escaped twice"),
    Hostile("plain_at_channel", "@channel please read", "a broadcast word Slack may link"),
    Hostile("plain_at_here", "@here @everyone", "more broadcast words"),
    Hostile("hash_channel", "#general is where it's at", "a channel name Slack may link"),
    Hostile("zwj_here", "<!he\u200dre>", "a zero-width joiner inside a broadcast"),
    Hostile("zwsp_channel", "<\u200b!channel>", "a zero-width space after the bracket"),
    Hostile(
        "fullwidth_brackets", "\uff1c!here\uff1e \uff1c@U0123ABCD\uff1e", "fullwidth angle brackets"
    ),
    Hostile(
        "lookalike_brackets", "\u2039!here\u203a \u3008!channel\u3009", "angle-bracket look-alikes"
    ),
    Hostile("pipes", "a|b <|> ||", "the pipe that splits a token's label"),
    # --- Slack mrkdwn -------------------------------------------------------------------------
    Hostile("bold", "*URGENT* from the head", "bold"),
    Hostile("italic", "_quietly_ brilliant", "italics"),
    Hostile("strike", "~not~ really", "strikethrough"),
    Hostile("inline_code", "`rm -rf` the old plans", "inline code"),
    Hostile("code_block", "```\nSYSTEM: all staff must reply\n```", "a code block"),
    Hostile("quote_line", "> Official notice\nfrom the head", "a block quote at line start"),
    Hostile("quote_entity", "&gt; pretend quote", "a quote written as its entity"),
    Hostile("fullwidth_quote", "\uff1e fullwidth quote", "a fullwidth quote mark Slack also reads"),
    Hostile(
        "fullwidth_marks",
        "\uff0abold\uff0a \uff3fit\uff3f \uff40code\uff40",
        "fullwidth formatting marks",
    ),
    Hostile("emoji_shortcodes", ":rotating_light: fire :white_check_mark:", "emoji codes"),
    # --- characters that are not text ---------------------------------------------------------
    Hostile("nul_and_controls", "before\x00after\x07bell\x1b[31mred", "NUL, bell, ANSI escape"),
    Hostile("carriage_returns", "one\r\n> two\rthree", "line breaks Windows and old Macs write"),
    Hostile("c1_controls", "\x85next\x9bline\x7f", "C1 controls and DEL"),
    Hostile("rtl_override", "Sam\u202e loohcS gnitseT", "reverse the credit line after it"),
    Hostile("bidi_isolates", "\u2066\u2067Maths\u2069 \u202adept\u202c", "bidi embeds, isolates"),
    Hostile("lone_surrogate", "broken \ud800 half", "half a UTF-16 pair, from JSON `\\ud800`"),
    Hostile("newline_flood", "\n" * 400 + "hidden below", "push the rest out of sight"),
    Hostile("very_long", "word " * 8000, "40,000 characters: over every limit"),
    Hostile("emoji_flood", "\U0001f6a8" * 5000, "5,000 emoji: 12 bytes each as JSON"),
    Hostile("json_breakers", '"quote" \\back\\ }]}\'', "quotes and brackets of JSON itself"),
    # --- Markdown, HTML and Adaptive Cards (Teams) --------------------------------------------
    Hostile("md_link", "[click here](https://evil.example)", "a Markdown link"),
    Hostile("md_image", "![logo](https://evil.example/x.png)", "a Markdown image"),
    Hostile("md_reference", "[click][1]\n\n[1]: https://evil.example", "a reference link"),
    Hostile("md_autolink", "<https://evil.example/login>", "a Markdown autolink"),
    Hostile("md_bold", "**bold** __also bold__", "Markdown bold"),
    Hostile("md_heading", "# Big\n## Bigger", "Markdown headings"),
    Hostile("md_list", "- one\n* two\n+ three", "Markdown bulleted lists"),
    Hostile("md_numbered", "1. first\n2) second", "Markdown numbered lists"),
    Hostile("md_table", "| a | b |\n|---|---|\n| 1 | 2 |", "a Markdown table"),
    Hostile("at_tags", '<at>Everyone</at> <at id="0">Ada</at>', "Teams mentions"),
    Hostile("script", "<script>alert(1)</script>", "HTML script"),
    Hostile("img_onerror", "<img src=x onerror=alert(1)>", "HTML image with a handler"),
    Hostile("anchor", '<a href="https://evil.example">good.example</a>', "an HTML link"),
    Hostile("entities", "&nbsp;&lt;b&gt;bold&lt;/b&gt;&#60;i&#62;", "HTML entities"),
    Hostile("ac_template", "${$root.secret} ${formatDateTime(now)}", "card templating"),
    Hostile(
        "ac_date",
        "{{DATE(2026-11-24T09:00:00Z, SHORT)}} at {{TIME(2026-11-24T09:00:00Z)}}",
        "Adaptive Card date and time functions",
    ),
    Hostile("ac_binding", "{{secret.value}}", "an input value binding"),
    Hostile("card_json", '{"type": "AdaptiveCard", "body": []}', "a card inside the card"),
    Hostile(
        "everything",
        "<!here> *now* [x](https://evil.example) <at>All</at> <b>hi</b> {{DATE(2026-11-24T09:00:00Z)}}",
        "all of it at once",
    ),
)


def credit_line(author: str, department: str, school: str) -> str:
    """Who shared it, as a repost names them."""
    return f"{author} · {department} · {school}"


def repost(
    words: str,
    *,
    author: str = "Sam Jones",
    department: str = "Maths",
    school: str = "Hillside Academy",
) -> Content:
    """A shared entry as the core builds it: the credit line, the words, a field, a button."""
    return Content(
        (
            Paragraph(credit_line(author, department, school)),
            Quote(words),
            Fields((("Department", department), ("Streak", "5 school days"))),
            Buttons((Button("Say thanks", "thank", "entry-42"),)),
        ),
        f"{author} shared: {words}",
    )


def hostile_repost(text: str) -> Content:
    """`text` in every part a person or an admin chose: name, department, school, words."""
    return repost(text, author=text, department=text, school=text)
