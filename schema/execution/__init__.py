"""The batched execution engine: lists completed a level at a time (see README.md here)."""
