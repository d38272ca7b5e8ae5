"""What one domain tells the others, inside the transaction that made it happen.

The mechanism (publish, subscribe) is resolvers/domain_events.py; the modules here are the
events, typed and grouped by what they are about (a job, an order), so a reacting domain
imports the event, never the domain that published it.
"""
