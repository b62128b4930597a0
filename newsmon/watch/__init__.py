"""Watches and alerts: the query language, the stored watches, and telling users what is new."""
