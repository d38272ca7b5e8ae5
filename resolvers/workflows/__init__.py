"""The state machines of OpsGraph, declared once (domain.workflow) and applied by
resolvers.transitions.

Guards and effects that need other domains are named here and imported when they run:
effects move other machines (a job starting moves its order), so the declarations and the
code they call would otherwise import each other.
"""
