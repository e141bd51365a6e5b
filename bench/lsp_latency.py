"""How quickly the language server answers, measured from outside as an editor sees it.

    python bench/lsp_latency.py                    # worker processes (the default on Linux)
    python bench/lsp_latency.py --lint-in both     # processes and threads, side by side
    python bench/lsp_latency.py --runs 5 --big-mb 2

A tiny JSON-RPC client over the server's stdin and stdout (``python -m healthlint lsp``, what
``healthlint lsp`` runs), with the trace turned on so the server reports how long each check spent
in the engine. It prints:

- start: from starting the server process to its initialize response, to "rules ready" (the
  warm-up, begun on initialize), and to the first diagnostics for the seed article, opened right
  after ``initialized`` as an editor does (median of --runs fresh servers); and the server's CPU
  time until then, which is what an idle machine would take;
- open: from didOpen to diagnostics once the server is warm (median over --opens documents),
  split into engine time (reported by the server) and server overhead (the rest);
- busy: the same, and a hover, for a small document while a --big-mb document is being checked;
  then an edit of the huge document during its check: how soon the old check is stopped, and
  how long until the edited version's diagnostics (on threads, the old check runs on first).

Numbers only; no pass or fail. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "fixtures" / "kratom-article.txt"
TIMEOUT = 600.0  # seconds; a huge document on worker threads can take minutes
CHECKED = re.compile(r"checked (\S+) version (\S+): \d+ findings, ([\d.]+) s in the engine")
READY = re.compile(r"rules ready in ([\d.]+) s")


class Server:
    """One server process and the messages it has sent, each with the time it arrived."""

    def __init__(self, lint_in: str) -> None:
        env = {**os.environ, "HEALTHLINT_LSP_LINT_IN": lint_in}
        env.pop("HEALTHLINT_LANGUAGETOOL_URL", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "healthlint", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
        self.messages: list[tuple[float, dict]] = []
        self.arrived = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = json.loads(stream.read(length))
            with self.arrived:
                self.messages.append((time.perf_counter(), body))
                self.arrived.notify_all()

    def send(self, message: dict) -> float:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        sent = time.perf_counter()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.process.stdin.flush()
        return sent

    def request(self, method: str, params) -> tuple[int, float]:
        self.next_id += 1
        return self.next_id, self.send({"id": self.next_id, "method": method, "params": params})

    def notify(self, method: str, params) -> float:
        return self.send({"method": method, "params": params})

    def wait(self, matches, after: float = 0.0, timeout: float = TIMEOUT) -> tuple[float, dict]:
        """The first message since ``after`` (a perf_counter time) for which ``matches`` is true."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for at, message in self.messages:
                    if at >= after and matches(message):
                        return at, message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the server did not answer in time")
                self.arrived.wait(left)

    def response(self, request_id: int) -> tuple[float, dict]:
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m)

    def diagnostics(self, uri: str, version: int, after: float = 0.0) -> tuple[float, dict]:
        def published(m: dict) -> bool:
            params = m.get("params") or {}
            return m.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri and params.get("version") == version

        return self.wait(published, after)

    def log(self, pattern: re.Pattern, method: str, after: float = 0.0) -> tuple[float, re.Match]:
        at, message = self.wait(lambda m: m.get("method") == method and bool(pattern.search(m["params"]["message"])), after)
        return at, pattern.search(message["params"]["message"])

    def engine_seconds(self, uri: str, version: int, after: float = 0.0) -> float:
        def checked(m: dict) -> bool:
            found = m.get("method") == "$/logTrace" and CHECKED.search(m["params"]["message"])
            return bool(found and found.group(1) == uri and found.group(2) == str(version))

        _, message = self.wait(checked, after)
        return float(CHECKED.search(message["params"]["message"]).group(3))

    def initialize(self, root: Path) -> float:
        """Initialize and send ``initialized``; returns when the response arrived (seconds after start)."""
        request_id, _ = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown"]}}},
                "trace": "verbose",
                "initializationOptions": {"healthlint": {"isolated": True}},
            },
        )
        answered, _ = self.response(request_id)
        self.notify("initialized", {})
        return answered - self.started

    def open(self, path: Path, text: str, version: int = 1) -> tuple[str, float]:
        uri = path.as_uri()
        language = "markdown" if path.suffix == ".md" else "plaintext"
        sent = self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}})
        return uri, sent

    def change(self, uri: str, version: int, text: str) -> float:
        return self.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}
        )

    def close(self) -> None:
        try:
            request_id, _ = self.request("shutdown", None)
            self.response(request_id)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux), or NaN. On a busy machine wall time
    is mostly waiting for a core; CPU time is close to what an idle machine would take."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def cold_start(lint_in: str, text: str, workspace: Path) -> dict[str, float]:
    server = Server(lint_in)
    try:
        answered = server.initialize(workspace)
        uri, opened = server.open(workspace / "cold.txt", text)
        ready_at, ready = server.log(READY, "window/logMessage")
        published, _ = server.diagnostics(uri, 1)
        cpu = cpu_seconds(server.process.pid)
        engine = server.engine_seconds(uri, 1)
        return {
            "initialize response": answered,
            "rules ready": ready_at - server.started,
            "warm-up (server's own count)": float(ready.group(1)),
            "first diagnostics": published - server.started,
            "  of which checking the seed, in the engine": engine,
            "didOpen sent": opened - server.started,
            "server CPU time until first diagnostics (idle-machine estimate)": cpu + (engine if lint_in == "process" else 0.0),
        }
    finally:
        server.close()


def warm_opens(server: Server, text: str, folder: Path, count: int) -> tuple[list[float], list[float]]:
    totals, engines = [], []
    for i in range(count):
        uri, sent = server.open(folder / f"open-{i}.txt", text)
        published, _ = server.diagnostics(uri, 1, after=sent)
        totals.append(published - sent)
        engines.append(server.engine_seconds(uri, 1, after=sent))
    return totals, engines


def hover_position(message: dict) -> dict | None:
    for d in message["params"]["diagnostics"]:
        if d.get("code") == "plain-language":
            return d["range"]["start"]
    return None


def busy(server: Server, text: str, folder: Path, big_mb: float, count: int) -> dict[str, float]:
    big_text = (text + "\n") * max(1, int(big_mb * 1_000_000 / (len(text) + 1)))
    big_uri, sent = server.open(folder / "huge.md", big_text)
    server.wait(lambda m: m.get("method") == "$/logTrace" and f"checking {big_uri} version 1" in m["params"]["message"], after=sent)
    opens, hovers, stale = [], [], []
    for i in range(count):
        uri, sent = server.open(folder / f"busy-{i}.txt", text)
        published, message = server.diagnostics(uri, 1, after=sent)
        opens.append(published - sent)
        position = hover_position(message)
        if position is not None:
            request_id, asked = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
            answered, _ = server.response(request_id)
            hovers.append(answered - asked)
    request_id, asked = server.request("textDocument/hover", {"textDocument": {"uri": big_uri}, "position": {"line": 0, "character": 3}})
    answered, _ = server.response(request_id)
    stale.append(answered - asked)
    still_running = not any(
        m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("uri") == big_uri for _, m in server.messages
    )
    # An edit of the huge document while it is being checked: the old check should stop, not
    # hold a core (or, on a thread, the GIL and the one slot for huge documents) to its end.
    edited = "Kratom is safe.\n\n" + big_text
    changed = server.change(big_uri, 2, edited)
    stopped_at, _ = server.wait(
        lambda m: m.get("method") == "$/logTrace"
        and re.search(f"(stopped checking|superseded check of) {re.escape(big_uri)} version 1", m["params"]["message"]),
        after=changed,
    )
    after = []
    for i in range(count):
        uri, sent = server.open(folder / f"after-{i}.txt", text)
        published, _ = server.diagnostics(uri, 1, after=sent)
        after.append(published - sent)
    edit_published, _ = server.diagnostics(big_uri, 2, after=changed)
    return {
        "huge document (MB)": len(big_text.encode("utf-8")) / 1e6,
        "huge document still being checked throughout": float(still_running),
        "didOpen to diagnostics, small document": median(opens),
        "hover on it": median(hovers),
        "hover on the huge document (answers from last result)": median(stale),
        "edit of the huge document: old check stopped (thread: dropped)": stopped_at - changed,
        "then didOpen to diagnostics, small document": median(after),
        "edit of the huge document to its diagnostics": edit_published - changed,
        "  its check, in the engine": server.engine_seconds(big_uri, 2, after=changed),
    }


def in_process_engine(text: str, runs: int) -> float:
    from healthlint.engine import lint_source
    from healthlint.settings import CommandLine, Resolver
    from healthlint.source import from_text

    rules = Resolver(CommandLine(isolated=True)).resolve(None).rules
    lint_source(from_text(text, "seed.txt"), rules)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        lint_source(from_text(text, "seed.txt"), rules)
        times.append(time.perf_counter() - started)
    return median(times)


def report(title: str, rows: dict[str, float]) -> None:
    print(title)
    for name, value in rows.items():
        print(f"  {name:<66} {value:8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lint-in", choices=["process", "thread", "both"], default="process")
    parser.add_argument("--runs", type=int, default=3, help="fresh servers for the start-up numbers")
    parser.add_argument("--opens", type=int, default=7, help="documents opened on a warm server")
    parser.add_argument("--big-mb", type=float, default=1.0, help="size of the huge document")
    args = parser.parse_args()
    if not SEED.exists():
        sys.exit(f"lsp_latency: {SEED} is missing")
    text = SEED.read_text(encoding="utf-8")
    modes = ["process", "thread"] if args.lint_in == "both" else [args.lint_in]
    print(f"seed article: {len(text)} characters; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        print("note: PYTHONDONTWRITEBYTECODE is set, so every server start compiles healthlint's modules anew;")
        print("      an installed healthlint has them compiled (try PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=/tmp/pyc)")
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp)
        for mode in modes:
            print(f"\n== checking in worker {mode}es ==" if mode == "process" else f"\n== checking in worker {mode}s ==")
            starts = [cold_start(mode, text, workspace) for _ in range(args.runs)]
            medians = {name: median([s[name] for s in starts]) for name in starts[0]}
            report(f"start (seconds after the process starts; median of {args.runs})", medians)
            server = Server(mode)
            try:
                server.initialize(workspace)
                server.log(READY, "window/logMessage")
                folder = workspace / mode
                folder.mkdir()
                totals, engines = warm_opens(server, text, folder, args.opens)
                overheads = [t - e for t, e in zip(totals, engines)]
                report(
                    f"open on a warm server (seconds; median of {args.opens})",
                    {
                        "didOpen to diagnostics": median(totals),
                        "  in the engine (resolve settings + lint)": median(engines),
                        "  server overhead (the rest)": median(overheads),
                        "  engine share": median(engines) / median(totals),
                    },
                )
                rows = busy(server, text, folder, args.big_mb, args.opens)
                report(f"busy: while a huge document is being checked (seconds; median of {args.opens})", rows)
            finally:
                server.close()
    print(f"\nthe engine alone, in this process, on the seed: {in_process_engine(text, args.opens):.3f} s (median of {args.opens})")


if __name__ == "__main__":
    main()
