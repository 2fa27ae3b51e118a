"""What the files mean, and no I/O: rules, documents, places, time.

Imports nothing of the package but `errors`; every other stage builds on it.
"""
