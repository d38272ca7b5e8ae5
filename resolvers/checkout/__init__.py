"""Customer checkout with Stripe (issue 29)."""
