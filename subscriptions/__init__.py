"""Realtime: subscription fan-out (in-process by default, Redis with REDIS_URL)."""
