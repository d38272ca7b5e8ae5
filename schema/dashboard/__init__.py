"""The dashboard in the graph: stats, urgent jobs, activity."""
