"""``extract serve``: Datasette on ``<out>/extract.db``, with the metadata of
``serve_metadata`` (descriptions, units, facets, canned queries).

``serve`` runs Datasette in the foreground, bound to ``host`` (127.0.0.1 by
default: nothing outside the machine sees it), until it is stopped.
``screenshot_query`` starts it on a free local port, has headless Chromium
draw one page of it into a PNG, and stops it. Datasette is an optional
dependency (the ``serve`` extra); without it, or without the database, both
raise ``UsageError`` saying what to do.
"""
from __future__ import annotations

import importlib.util
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extract.errors import UsageError
from extract.qa.serve_metadata import database_to_metadata
from extract.tables.write import DATABASE


@contextmanager
def _datasette_command(out_dir: str | Path, host: str, port: int) -> Iterator[list[str]]:
    """The command that serves ``out_dir``'s database, its metadata in a temporary file."""
    db = Path(out_dir) / DATABASE
    if not db.is_file():
        raise UsageError(f"{db} does not exist: extract the documents first (`extract run`, `make extract`)")
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("Datasette is not installed: pip install 'extract[serve]' (`make serve` installs it)")
    with tempfile.TemporaryDirectory(prefix="extract-serve-") as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(database_to_metadata(db), indent=2, ensure_ascii=False), encoding="utf-8")
        yield [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata),
               "--host", host, "--port", str(port)]


def serve(out_dir: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve ``out_dir``'s database until stopped; Datasette's exit code."""
    with _datasette_command(out_dir, host, port) as command:
        print(f"extract: Datasette on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
        proc = subprocess.Popen(command)
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
        try:
            return proc.wait()
        finally:  # stopped (Ctrl-C, SIGTERM): Datasette stops too
            signal.signal(signal.SIGTERM, previous)
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr and proc.poll() is not None else ''
                raise UsageError(f"Datasette did not start ({url}) {err}".strip()) from None
            time.sleep(0.2)


def screenshot_query(out_dir: str | Path, png: str | Path, page: str, size: tuple[int, int] = (1400, 900),
                     chromium: str = "chromium", timeout: float = 60.0) -> Path:
    """``page`` of Datasette on ``out_dir`` (a path such as
    ``extract/closest_partners?city_id=…``) drawn by headless Chromium into ``png``."""
    port = _free_port()
    with _datasette_command(out_dir, "127.0.0.1", port) as command:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/-/versions.json", proc, timeout)
            Path(png).parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            f"--window-size={size[0]},{size[1]}", f"--screenshot={Path(png).resolve()}",
                            f"http://127.0.0.1:{port}/{page.lstrip('/')}"],
                           check=True, capture_output=True, timeout=timeout * 2)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return Path(png)
