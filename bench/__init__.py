"""Benchmarks: `make bench` (or `python -m bench`). Each prints ratios against a baseline
measured in the same run on the same machine, so the figures travel between machines.

By default: the Slack and Teams fan-outs (bench/fanout.py, bench/teams_fanout.py), ingest
(bench/ingest.py: signed Slack DM events through `tinysteps serve` against a bare Bolt app) and
memory (bench/memory.py: the server's peak RSS while it nudges 10,000 people, an absolute
figure, with the bare Bolt app's beside it). Only with `--only`: summary and themes."""
