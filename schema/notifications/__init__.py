"""Notifications in the graph: the viewer's list, marking read, the live feed."""
