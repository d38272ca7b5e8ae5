"""Stored files in the graph: the `File` node, its signed links, the `Upload` input."""
