"""Manufacturing jobs in the graph: jobs, their items, notes, photos and issues."""
