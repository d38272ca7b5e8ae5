"""Customer checkout with Stripe in the graph (issue 29)."""
