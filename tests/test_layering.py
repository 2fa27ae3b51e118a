"""The package's layering (docs/architecture.md) holds: import-linter's contracts in
pyproject.toml, checked in `make test` as well as in `make check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 6 kept, 0 broken." in done.stdout


def test_architecture_names_every_package() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    packages = [p.name for p in (ROOT / "advisories").iterdir() if (p / "__init__.py").is_file()]
    assert sorted(packages) == ["cli", "compile", "evaluation", "load", "model", "render", "web"]
    for package in packages:
        assert f"`{package}/`" in text, package
