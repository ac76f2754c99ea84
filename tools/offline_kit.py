"""Build an offline installation kit (a wheelhouse) for machines with no network.

District organisation departments install on office machines that cannot reach PyPI. This
builds, on a machine that can (Linux is fine), a folder holding partygraph's wheel and a
wheel of every dependency resolved *for the target platform* — markers included, so Windows
gets ``colorama`` (which tqdm needs there) even when the kit is built on Linux — and the
scripts that install from it with no network (``pip install --no-index``).

Usage::

    python tools/offline_kit.py -o partygraph-kit                  # Windows, Python 3.11–3.13
    python tools/offline_kit.py -o kit --platform native --python 3.11   # this machine

Then copy the folder to the office machine and run ``install_offline.bat`` (Windows) or
``sh install_offline.sh``: it makes a virtual environment ``partygraph-env`` beside the kit,
installs partygraph from the kit alone, and runs the demo assessment once.

How: ``uv pip compile`` resolves the dependencies for the target platform and Python version
(pip resolves environment markers for the machine it runs on, which is why a Windows
wheelhouse made by ``pip download`` on Linux lacks colorama); ``pip download
--only-binary=:all: --platform ... --no-deps`` fetches exactly those wheels; ``pip wheel``
builds partygraph's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: target platform → (uv's --python-platform, pip's --platform tags)
PLATFORMS = {
    "win_amd64": ("x86_64-pc-windows-msvc", ["win_amd64"]),
    "native": (None, []),
}

BAT = r"""@echo off
rem Install partygraph from this folder, with no network (离线安装).
setlocal
set KIT=%~dp0
where py >nul 2>nul && (py -3 -m venv "%KIT%..\partygraph-env") || (python -m venv "%KIT%..\partygraph-env")
if errorlevel 1 goto :fail
"%KIT%..\partygraph-env\Scripts\python.exe" -m pip install --no-index --find-links "%KIT%." partygraph
if errorlevel 1 goto :fail
"%KIT%..\partygraph-env\Scripts\python.exe" -m partygraph --version
echo partygraph is installed in %KIT%..\partygraph-env (安装完成).
echo Run: %KIT%..\partygraph-env\Scripts\python.exe -m partygraph assess
exit /b 0
:fail
echo Installation failed (安装失败): see the messages above.
exit /b 1
"""

SH = """#!/bin/sh
# Install partygraph from this folder, with no network (离线安装).
set -e
KIT="$(cd "$(dirname "$0")" && pwd)"
ENV="${PARTYGRAPH_ENV:-$KIT/../partygraph-env}"
"${PYTHON:-python3}" -m venv "$ENV"
"$ENV/bin/python" -m pip install --no-index --find-links "$KIT" partygraph
"$ENV/bin/python" -m partygraph --version
echo "partygraph is installed in $ENV (安装完成)"
"""


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def _uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    _run([sys.executable, "-m", "pip", "install", "--quiet", "uv"])
    return shutil.which("uv") or str(Path(sys.executable).with_name("uv"))


def requirements(platform: str, python: str, out: Path) -> Path:
    """The dependencies of partygraph resolved for ``platform`` and ``python``."""
    target, _ = PLATFORMS[platform]
    cmd = [_uv(), "pip", "compile", str(ROOT / "pyproject.toml"), "--python-version", python,
           "--no-header", "--no-annotate", "--quiet", "-o", str(out)]
    if target:
        cmd += ["--python-platform", target]
    _run(cmd)
    return out


def build(out: Path, platform: str = "win_amd64", pythons: tuple[str, ...] = (
        "3.11", "3.12", "3.13")) -> Path:
    """Build the kit in ``out``; returns it."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for py in pythons:
            reqs = requirements(platform, py, Path(tmp) / f"requirements-{py}.txt")
            shutil.copy(reqs, out / reqs.name)
            cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
                   "--no-deps", "-r", str(reqs), "-d", str(out)]
            for tag in PLATFORMS[platform][1]:
                cmd += ["--platform", tag]
            if PLATFORMS[platform][1]:
                cmd += ["--python-version", py, "--implementation", "cp"]
            _run(cmd)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
          str(ROOT)])
    (out / "install_offline.bat").write_text(BAT.replace("\n", "\r\n"), encoding="utf-8")
    (out / "install_offline.sh").write_text(SH, encoding="utf-8")
    os.chmod(out / "install_offline.sh", 0o755)
    wheels = sorted(out.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels)
    print(f"{len(wheels)} wheels, {size / 1e6:.0f} MB in {out}", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--output", required=True, help="the kit's folder")
    p.add_argument("--platform", choices=sorted(PLATFORMS), default="win_amd64")
    p.add_argument("--python", nargs="+", default=["3.11", "3.12", "3.13"])
    args = p.parse_args(argv)
    build(Path(args.output), args.platform, tuple(args.python))
    return 0


if __name__ == "__main__":
    sys.exit(main())
