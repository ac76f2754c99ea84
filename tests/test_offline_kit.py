"""The offline kit for department machines: built on a machine with the package index,
installed on one with no network at all (a network namespace with no interface).

Building needs the package index (CI has it: the registries are the only network it has);
the installs run under ``unshare -n``, so any attempt to reach the network fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))


def _no_network(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root with unshare")
        pytest.skip("needs root and unshare for a network namespace")
    return subprocess.run(["unshare", "-n", *cmd], capture_output=True, text=True, **kw)


def _build(out: Path, platform: str, python: str) -> Path:
    import offline_kit

    try:
        return offline_kit.build(out, platform, (python,))
    except subprocess.CalledProcessError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"the package index is not reachable here ({exc})")


@pytest.fixture(scope="module")
def native_kit(tmp_path_factory):
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    return _build(tmp_path_factory.mktemp("kit"), "native", py)


def test_the_kit_installs_and_runs_with_no_network(native_kit, tmp_path):
    env_dir = tmp_path / "env"
    env = {**os.environ, "PYTHON": sys.executable, "PARTYGRAPH_ENV": str(env_dir),
           "PIP_INDEX_URL": "https://pypi.invalid/simple", "PIP_CONFIG_FILE": os.devnull}
    r = _no_network(["sh", str(native_kit / "install_offline.sh")], env=env, timeout=900)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-2000:])
    assert "partygraph 0." in r.stdout
    out = tmp_path / "report"
    r = _no_network([str(env_dir / "bin" / "python"), "-m", "partygraph", "assess", "-q",
                     "--permutations", "0", "-o", str(out)], env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (out / "report.html").exists() and (out / "assessment.xlsx").exists()


def test_the_windows_kit_is_complete_for_windows(tmp_path):
    """Resolved for Windows from the kit alone, offline: every dependency is there, the
    Windows-only ones (colorama, which tqdm needs there) included."""
    kit = _build(tmp_path / "kit", "win_amd64", "3.11")
    wheels = {p.name.split("-")[0].lower() for p in kit.glob("*.whl")}
    assert {"partygraph", "pandas", "numpy", "colorama", "tqdm", "ortools"} <= wheels
    assert all("win_amd64" in p.name or "none-any" in p.name or "abi3" in p.name
               for p in kit.glob("*.whl"))
    assert (kit / "install_offline.bat").read_bytes().count(b"\r\n") > 5
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    reqs = tmp_path / "want.txt"
    reqs.write_text("partygraph\n", encoding="utf-8")
    r = _no_network([uv, "pip", "compile", str(reqs), "--no-index", "--find-links", str(kit),
                     "--python-platform", "x86_64-pc-windows-msvc", "--python-version",
                     "3.11", "--no-header", "--offline", "--cache-dir", str(tmp_path / "c")],
                    timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "colorama" in r.stdout and "partygraph" in r.stdout
