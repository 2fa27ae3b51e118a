"""Output files are replaced atomically, only when they are plain files, keeping their mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from advisories.errors import OutputError
from advisories.output import write_atomically


def test_replaces_a_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "briefing.pdf"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.pdf"]


def test_new_file_gets_an_ordinary_mode(tmp_path: Path) -> None:
    target = tmp_path / "new.html"
    write_atomically(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_refuses_to_replace_a_symlink_or_a_folder(tmp_path: Path) -> None:
    real = tmp_path / "real.pdf"
    real.write_bytes(b"kept")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"kept"
    with pytest.raises(OutputError, match="is a folder"):
        write_atomically(tmp_path, b"new")


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomically(tmp_path / "no" / "x.pdf", b"x")


def test_terminal_text_shows_control_and_bidi_characters_escaped() -> None:
    from advisories.cli.terminal import inert

    assert inert("a\x1b]0;title\x07b") == "a\\x1b]0;title\\x07b"
    assert inert("\u202eesrever \u2066isolated\u2069") == "\\u202eesrever \\u2066isolated\\u2069"
    assert inert("C1 \x9b31m, DEL \x7f, CR \r") == "C1 \\x9b31m, DEL \\x7f, CR \\x0d"
    assert inert("lines\n\tand tabs, Urdu کراچی, dashes — stay") == (
        "lines\n\tand tabs, Urdu کراچی, dashes — stay"
    )


def test_messages_are_bounded_with_an_ellipsis() -> None:
    from advisories.cli.terminal import bounded

    value = "x" * 5000
    short = bounded(f"unknown place {value!r}; try 'advisory regions NAME' to search")
    assert len(short) < 400 and "…" in short
    assert short.startswith("unknown place 'xxx") and short.endswith("to search")
    assert bounded("a plain message\nof two lines") == "a plain message\nof two lines"
    many_words = bounded("word " * 2000 + "the end")
    assert len(many_words) < 1200 and many_words.endswith("the end")


def test_leftovers_of_a_killed_writer_are_removed_and_nothing_else(tmp_path: Path) -> None:
    from advisories.output import remove_leftovers

    target = tmp_path / "briefing[1].pdf"
    names = [".briefing[1].pdf.k2j3h4.tmp", ".briefing[1].pdf.x.tmp", ".other.pdf.k2j3.tmp"]
    for name in [*names, "briefing[1].pdf"]:
        (tmp_path / name).write_bytes(b"x")
    remove_leftovers(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.pdf.k2j3.tmp", "briefing[1].pdf"]


def test_a_read_only_file_system_is_an_error_naming_the_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a mount made read-only answers, which no folder mode stops when running as root
    (tests/test_faults.py tests the folder's mode as another user)."""
    import errno
    import tempfile

    target = tmp_path / "quetta.pdf"
    target.write_bytes(b"old")

    def refused(*args: object, **kwargs: object) -> object:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refused)
    with pytest.raises(OutputError) as raised:
        write_atomically(target, b"new")
    assert str(raised.value) == f"{target}: cannot write (Read-only file system)"
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quetta.pdf"]
