#!/usr/bin/env python3
"""Benchmark of the installed ``auditlog`` package, printing issue 18's ratios
from one run (these machines are shared and noisy: compare within a run).

    pip install ./python                 # a release build
    cargo build --release -p auditlog -p auditlog-bench    # optional, for the Rust figure
    python bench/python_bench.py [--appends N] [--rounds N] [--rust-bench PATH]

Figures (medians over rounds; each round measures every figure once):

  python_tool      in-process ``AuditLog.tool()`` records/s
  seed_writer      a pure-Python writer doing the seed's work (tool_audit.py:
                   truncate args, snippet, json.dumps, mkdir, open-append-close
                   under a lock) -- target: python_tool >= 1.5x this
  rust_tool        the Rust library's ``append_tool`` records/s, the
                   ``record_tool_host`` figure of ``auditlog-bench --quick``
                   (same call shape) -- target: Python's time per call within
                   1.3x of Rust's
  threads_8        8 Python threads calling ``tool()`` at once (one user each),
                   aggregate records/s -- target: >= 2x one thread
  gil_ceiling      the same ratio for a call that does nothing but release
                   the GIL for about as long as ``tool()`` takes
                   (``hashlib.sha256`` of a buffer, which hashes without the
                   GIL): what 8 threads can reach on this machine with any
                   extension, the bound of the ratio above

Not run in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import auditlog

_ARG_MAX = 500
_SNIPPET_MAX = 300
#: Calls made before each measurement, so that neither side pays for a first
#: open, a new directory or a cold cache inside the timing.
WARM_UP = 200


def call(i: int) -> Dict[str, Any]:
    """Tool call ``i``, shaped as auditlog-bench's (bench/src/record.rs): a
    secret to redact and a result to cut to its snippet."""
    return {
        "args": {"path": f"/srv/data/file-{i}.txt", "mode": "read", "api_key": "sk-1234"},
        "result": f"result line {i} " * 20,
    }


class SeedWriter:
    """The seed's ``tool_audit.record`` (003), synchronously: the same work,
    with a ``threading.Lock`` per file for its ``asyncio.Lock``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.locks: Dict[str, threading.Lock] = {}

    def record(self, user: str, tool: str, args: Dict[str, Any], status: str, result: str = "") -> None:
        audit_dir = self.root / user / "tool_audit"
        audit_dir.mkdir(parents=True, exist_ok=True)
        path = audit_dir / f"{date.today().isoformat()}.jsonl"
        key = str(path)
        if key not in self.locks:
            self.locks[key] = threading.Lock()
        out = {}
        for k, v in args.items():
            out[k] = v[:_ARG_MAX] + f" …[{len(v)} chars total]" if isinstance(v, str) and len(v) > _ARG_MAX else v
        entry = {
            "ts": datetime.now().isoformat(timespec="seconds"),
            "user": user,
            "tool": tool,
            "args": out,
            "status": status,
            "result_chars": len(result),
            "result_snippet": result[:_SNIPPET_MAX],
        }
        with self.locks[key]:
            with path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")


def rate(appends: int, record: Callable[[int], Any]) -> float:
    """Records per second of ``appends`` calls of ``record(i)``."""
    start = time.perf_counter()
    for i in range(appends):
        record(i)
    return appends / (time.perf_counter() - start)


def threaded_rate(threads: int, appends: int, make: Callable[[int], Callable[[int], Any]]) -> float:
    """Aggregate records/s of ``threads`` threads, each making ``appends``
    calls of its own ``make(thread)``."""
    barrier = threading.Barrier(threads + 1)

    def work(n: int) -> None:
        record = make(n)
        barrier.wait()
        for i in range(appends):
            record(i)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in pool:
        t.join()
    return threads * appends / (time.perf_counter() - start)


def gil_free_call(seconds: float) -> Callable[[int], Any]:
    """A call that spends about ``seconds`` with the GIL released and does
    nothing else: ``hashlib`` hashes a buffer over 2 KiB without the GIL."""
    size = 1 << 16
    data = b"x" * size
    start = time.perf_counter()
    for _ in range(100):
        hashlib.sha256(data)
    per_byte = (time.perf_counter() - start) / (100 * size)
    data = b"x" * max(4096, int(seconds / per_byte))
    return lambda i: hashlib.sha256(data)


def rust_rate(bench: Optional[Path]) -> Optional[float]:
    """``record_tool_host`` of ``auditlog-bench --quick --only record --format json``."""
    if bench is None or not bench.is_file():
        return None
    done = subprocess.run([str(bench), "--quick", "--only", "record", "--format", "json"], capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        print(f"auditlog-bench failed: {done.stderr.strip()}", file=sys.stderr)
        return None
    figures = json.loads(done.stdout)
    figure = figures.get("record_tool_host")
    value = figure.get("value") if isinstance(figure, dict) else figure
    return float(value) if value is not None else None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=5000, help="calls per measurement (default 5000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; medians are printed (default 5)")
    default_bench = Path(__file__).resolve().parents[1] / "target" / "release" / "auditlog-bench"
    parser.add_argument("--rust-bench", type=Path, default=default_bench, help="auditlog-bench to run for rust_tool")
    args = parser.parse_args(argv)

    print(f"auditlog {auditlog.__version__} from {Path(auditlog.__file__).parent}")
    print(f"{args.rounds} rounds of {args.appends} appends; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    scratch = Path(tempfile.mkdtemp(prefix="auditlog-bench-"))
    figures: Dict[str, List[float]] = {
        "python_tool": [], "seed_writer": [], "threads_1": [], "threads_8": [], "gil_free_1": [], "gil_free_8": [],
    }
    try:
        for r in range(args.rounds):
            base = scratch / str(r)
            calls = [call(i) for i in range(args.appends)]  # built before the clock starts
            seed = SeedWriter(base / "seed")
            rate(WARM_UP, lambda i: seed.record("warm", "file_read", calls[i]["args"], "ok", calls[i]["result"]))
            figures["seed_writer"].append(
                rate(args.appends, lambda i: seed.record("alice", "file_read", calls[i]["args"], "ok", calls[i]["result"]))
            )
            log = auditlog.AuditLog(base / "package")
            rate(WARM_UP, lambda i: log.tool("warm", "file_read", "ok", **calls[i]))
            figures["python_tool"].append(rate(args.appends, lambda i: log.tool("alice", "file_read", "ok", **calls[i])))
            for threads in (1, 8):
                each = args.appends // threads

                def make(n: int, threads: int = threads) -> Callable[[int], Any]:
                    user = f"t{threads}-{n}"
                    log.tool(user, "file_read", "ok")  # each thread's day file exists first
                    return lambda i: log.tool(user, "file_read", "ok", **calls[i])

                figures[f"threads_{threads}"].append(threaded_rate(threads, each, make))
            gil_free = gil_free_call(1 / figures["python_tool"][-1])
            for threads in (1, 8):
                figures[f"gil_free_{threads}"].append(threaded_rate(threads, args.appends // threads, lambda n: gil_free))
            shutil.rmtree(base, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in figures.items()}
    rust = rust_rate(args.rust_bench)
    rows = [
        ("python_tool", median["python_tool"], "records/s", ""),
        ("seed_writer", median["seed_writer"], "records/s", ""),
        ("python_tool / seed_writer", median["python_tool"] / median["seed_writer"], "x", "target >= 1.5"),
    ]
    if rust is None:
        rows.append(("rust_tool", float("nan"), "records/s", f"(no {args.rust_bench}: cargo build --release -p auditlog -p auditlog-bench)"))
    else:
        rows.append(("rust_tool", rust, "records/s", "auditlog-bench --quick record_tool_host"))
        rows.append(("python per call / rust per call", rust / median["python_tool"], "x", "target <= 1.3"))
    rows += [
        ("threads_1", median["threads_1"], "records/s", "one thread, one user"),
        ("threads_8", median["threads_8"], "records/s", "8 threads, a user each"),
        ("threads_8 / threads_1", median["threads_8"] / median["threads_1"], "x", "target >= 2"),
        ("gil_ceiling", median["gil_free_8"] / median["gil_free_1"], "x",
         "8 threads / 1 of a call that only releases the GIL as long as tool() takes"),
    ]
    for name, value, unit, note in rows:
        print(f"{name:34} {value:12.2f} {unit:10} {note}")
    print(f"per call: python_tool {1e6 / median['python_tool']:.1f} µs, seed_writer {1e6 / median['seed_writer']:.1f} µs"
          + (f", rust_tool {1e6 / rust:.1f} µs" if rust else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
