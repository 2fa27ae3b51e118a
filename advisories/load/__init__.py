"""Files -> models and RuleSets: the only code that reads YAML, pickles or walks the disk."""
