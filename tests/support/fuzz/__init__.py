"""Fuzzing the whole schema: hostile values (values.py), operations over one root field at a
time (operations.py) and a runner that sends them and records what went wrong (runner.py)."""
