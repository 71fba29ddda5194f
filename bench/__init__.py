"""Benchmarks: `make bench` (or `python -m bench`). Each prints ratios against a baseline
measured in the same run on the same machine, so the figures travel between machines."""
