"""Partner API keys in the graph."""
