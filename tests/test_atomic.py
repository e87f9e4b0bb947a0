"""Tests for moikg._atomic: a batch of outputs replaces its targets all together or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from moikg._atomic import atomic_outputs, write_text_atomic


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_batch_replaces_every_target_on_success(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    with atomic_outputs(tmp_path) as batch:
        batch.write_text("a.txt", "new a – ünïcode")
        batch.path("b.bin").write_bytes(b"\x00\x01")
        assert _listing(tmp_path)["a.txt"] == b"old a"  # nothing moves before the block ends
    assert _listing(tmp_path) == {"a.txt": "new a – ünïcode".encode(), "b.bin": b"\x00\x01"}


def test_a_failed_batch_leaves_earlier_outputs_and_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    with pytest.raises(RuntimeError, match="half way"), atomic_outputs(tmp_path) as batch:
        batch.write_text("a.txt", "new a")
        batch.write_text("b.txt", "new b")
        raise RuntimeError("half way")
    assert _listing(tmp_path) == {"a.txt": b"old a"}


def test_asking_twice_for_a_name_gives_the_same_temporary_file(tmp_path: Path) -> None:
    with atomic_outputs(tmp_path / "new") as batch:
        first = batch.path("x.txt")
        assert batch.path("x.txt") == first
        first.write_text("once", encoding="utf-8")
    assert _listing(tmp_path / "new") == {"x.txt": b"once"}


def test_write_text_atomic_creates_the_folder_and_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.txt"
    assert write_text_atomic(target, "first") == target
    write_text_atomic(target, "second\n")
    assert target.read_bytes() == b"second\n"
    assert _listing(target.parent) == {"file.txt": b"second\n"}
    assert oct(target.stat().st_mode & 0o777) == "0o644"
