"""scripts/run, the quick start's first command, with a stand-in Python that records what it is asked to run
(nothing is installed, migrated or served): PORT moves the server and the address it announces."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_script(tmp_path: Path, **env: str) -> tuple[str, str]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    calls = tmp_path / "calls"
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    python.chmod(0o755)
    checksum = subprocess.run(
        f"cat {ROOT}/requirements*.txt | cksum | cut -d' ' -f1", shell=True, check=True, capture_output=True, text=True
    ).stdout.strip()
    (venv / f".installed-requirements.txt-{checksum}").touch()
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "VENV": str(venv), **env}
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run")], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, calls.read_text()


def test_it_announces_the_port_it_serves_on(tmp_path):
    printed, calls = run_script(tmp_path, PORT="8765")

    assert "manage.py runserver 127.0.0.1:8765" in calls
    assert "http://127.0.0.1:8765/" in printed
    assert ":8000" not in printed


def test_it_serves_on_8000_by_default(tmp_path):
    printed, calls = run_script(tmp_path)

    assert "manage.py runserver 127.0.0.1:8000" in calls
    assert "http://127.0.0.1:8000/" in printed
