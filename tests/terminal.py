"""Run the CLI on a pseudo-terminal, as a user at a terminal would, and read what it shows."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time


def on_a_terminal(args: list[str], env: dict[str, str], *, seconds: float = 60) -> str:
    """stdout and stdin on a pty (stderr discarded); the exit code must be 0."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "counterpoint", *args], stdin=follower,
                               stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(10) == 0
    return b"".join(chunks).decode("utf-8", "replace")
