"""Parsed rule files -> a checked, compiled RuleSet: timelines, cross-file checks, the index.

No I/O: the files arrive parsed (`load`), and the RuleSet leaves as plain data.
"""
