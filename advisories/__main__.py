"""`python -m advisories` runs the `advisory` command."""

from advisories.cli import main

main()
