"""fleet/drop_redelivered.py on its own (no daemons, no root): it drops a
sealed line only where it repeats an earlier line of the same file byte for
byte, keeps everything else as it was, and refuses while the collector runs."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fleet"))
from drop_redelivered import main, without_repeats  # noqa: E402

A = b'{"ts":"2025-10-23T10:00:00Z","tool":"t","seq":1,"hash":"aa"}\n'
B = b'{"ts":"2025-10-23T10:00:01Z","tool":"t","seq":2,"hash":"bb"}\n'
C = b'{"ts":"2025-10-23T10:00:02Z","tool":"t","seq":3,"hash":"cc"}\n'
LEGACY = b'{"timestamp":"2025-10-23T09:00:00Z","tool":"t","args":{"seq":1}}\n'


def test_only_repeated_sealed_lines_are_dropped():
    assert without_repeats(A + B + C + B + C) == (A + B + C, [(4, 2, 2), (5, 3, 3)])
    # Legacy lines (no top-level seq) repeat legitimately, and stay.
    assert without_repeats(LEGACY + LEGACY + A) == (LEGACY + LEGACY + A, [])
    # A line that differs in one byte is not a repeat (verify names it).
    edited = B.replace(b"bb", b"bc")
    assert without_repeats(A + B + edited) == (A + B + edited, [])
    # A last line without its newline is being written: left alone.
    assert without_repeats(A + B + A.rstrip(b"\n")) == (A + B + A.rstrip(b"\n"), [])


def test_files_are_rewritten_only_while_the_collector_is_stopped(tmp_path, capsys):
    day = tmp_path / "web-1" / "alice" / "tool_audit" / "2025-10-23.jsonl"
    day.parent.mkdir(parents=True)
    day.write_bytes(A + B + A + B + C)
    os.chmod(day, 0o640)
    untouched = day.with_name("2025-10-22.jsonl")
    untouched.write_bytes(LEGACY + LEGACY)
    pid_file = tmp_path / "collector.pid"
    pid_file.write_text(f"{os.getpid()}\n")  # a running process

    assert main(["--collector-pid-file", str(pid_file), str(tmp_path / "web-1")]) == 2
    assert "is running" in capsys.readouterr().err
    assert day.read_bytes() == A + B + A + B + C

    pid_file.unlink()
    assert main(["--collector-pid-file", str(pid_file), str(tmp_path / "web-1")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{day} line 3: repeats line 1 (seq 1): dropped",
        f"{day} line 4: repeats line 2 (seq 2): dropped",
    ]
    assert day.read_bytes() == A + B + C
    assert day.stat().st_mode & 0o777 == 0o640
    assert untouched.read_bytes() == LEGACY + LEGACY
    assert sorted(p.name for p in day.parent.iterdir()) == ["2025-10-22.jsonl", day.name]
