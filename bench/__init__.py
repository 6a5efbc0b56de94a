"""Benchmarks of what users feel (run them all with ``bash scripts/bench.sh``); not tests."""
