"""The Slack adapter: Block Kit rendering, the Web API messenger and (next) the Bolt app."""
