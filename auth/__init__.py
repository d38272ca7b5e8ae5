"""Who is asking: the actor behind each request (authentication arrives with its issue)."""
