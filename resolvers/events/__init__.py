"""What one domain tells the others, inside the transaction that made it happen.

`bus` is the mechanism (publish, subscribe); the other modules here are the events each
publishing domain announces, typed, so a reacting domain imports the event, never the
domain that published it.
"""
