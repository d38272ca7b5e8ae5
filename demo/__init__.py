"""Demo data: the stories `uv run app.py` loads into an empty database, replayed through the
same services the API runs (so it sits above them, beside app.py, not in db)."""
