"""Installed from a built wheel into a fresh virtual environment outside the
repository, the command extracts the brochure set exactly as ``make
extract`` does: the rules travel inside the package."""
from __future__ import annotations

import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory) -> Path:
    """A fresh venv holding only the wheel; its dependencies come from this
    test run's environment through a ``.pth`` file (no download)."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp / "dist")], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp / "dist").glob("extract-*.whl"))
    env = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    py = env / "bin" / "python"
    purelib = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    install = subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return env


def test_wheel_carries_the_rules_and_runs_outside_the_repository(wheel_env, tmp_path):
    work = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "raw", work / "raw")
    env = {"PATH": f"{wheel_env / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    where = subprocess.run([wheel_env / "bin" / "python", "-c", "import extract, extract.rules as r; "
                            "print(extract.__file__); print(r.DEFAULT_DIR)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert str(wheel_env) in where and str(ROOT) not in where, where
    version = subprocess.run([wheel_env / "bin" / "python", "-m", "extract", "--version"], cwd=work, env=env,
                             capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("extract "), version
    done = subprocess.run([wheel_env / "bin" / "extract", "run", "raw", "--out", "out", "--quiet"],
                          cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    committed = sorted(p.name for p in (ROOT / "output").glob("*.csv"))
    assert committed == sorted(p.name for p in (work / "out").glob("*.csv"))
    for name in committed:
        assert (work / "out" / name).read_bytes() == (ROOT / "output" / name).read_bytes(), name
