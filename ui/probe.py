"""Start-up helpers for a `vanban serve` child process (benchmarks and live tests).

>>> 1024 <= free_port() < 65536
True
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, proc: subprocess.Popen, timeout: float = 600) -> None:
    """Return once `url` answers 200. Raises RuntimeError when `proc` exits first or
    `timeout` seconds pass (loading the index and the encoder takes a while)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited (code {proc.returncode}) before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server not ready after {timeout:.0f} s")
