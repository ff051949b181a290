"""Tooling, not runtime: the benchmark, the load test and synthetic logs.

Reached by `python -m timeline bench|loadtest|synth`; nothing in the app or the library imports it.
`serving` starts and stops the servers they (and the tests) measure; `measure` holds the load
measurements the benchmark runs in fresh processes.
"""
