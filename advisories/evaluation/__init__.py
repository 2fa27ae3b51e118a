"""(rules, region, time span, as-of day) -> Answer; trips leg by leg. Pure: no I/O, no clock."""
