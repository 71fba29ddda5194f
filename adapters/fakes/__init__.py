"""Local fakes of the platforms' HTTP APIs (Slack's Web API, the Bot Connector), served on
loopback by tests and benchmarks: shipped as code, so both use the same ones."""
