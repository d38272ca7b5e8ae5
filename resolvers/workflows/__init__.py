"""The state machines of OpsGraph, declared once (domain.workflow) and applied by
resolvers.transitions.

A move that other domains react to (a job starting moves its order) publishes an event
(resolvers.events); the reacting domain subscribes in its own module, so no workflow
imports another domain.
"""
