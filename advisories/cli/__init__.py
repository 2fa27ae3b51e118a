"""The `advisory` command: click commands that parse, call the library, and print.

Imported by nothing in the package but `__main__`: the library never depends on its CLI.
"""

from advisories.cli.main import main

__all__ = ["main"]
