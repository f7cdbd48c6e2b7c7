"""The deployment files agree with the code: the ha configuration parses as ha mode, the
compose file's two instances share it and its health port, the systemd unit runs ``innovdeizh
run`` without restarting on exit 2, the Containerfile installs with hashes as a non-root user.
(The image is not built here: see README, « Containers ».)"""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG
from bot.config import parse_config

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_compose_runs_two_named_ha_instances_on_postgresql_with_the_shared_config() -> None:
    yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit (dev lock)
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    bots = {name: svc for name, svc in compose["services"].items() if name.startswith("bot-")}
    assert len(bots) == 2
    assert len({svc["hostname"] for svc in bots.values()}) == 2  # the instances' names
    config_raw = tomllib.loads((DEPLOY / "config.ha.toml").read_text("utf-8"))
    for svc in bots.values():
        env = svc["environment"]
        assert env["INNOVDEIZH_DATABASE_URL"].startswith("postgresql+asyncpg://")
        mount = next(v for v in svc["volumes"] if v.startswith("./config.ha.toml:"))
        assert mount.split(":")[1] == env["INNOVDEIZH_CONFIG"]
        assert svc["build"]["dockerfile"] == "Containerfile"
        assert (DEPLOY / svc["build"]["context"] / "Containerfile").is_file()
        config = parse_config(
            config_raw,
            env={
                "INNOVDEIZH_DATABASE_URL": "postgresql+asyncpg://innovdeizh:pw@db:5432/innovdeizh",
                "INNOVDEIZH_TOKEN": "123456:ABCdefghijklmnopqrstuvwxyz012345678",
            },
        )
        assert config.deployment.mode == "ha"
        assert config.http.enabled
        assert f"127.0.0.1:{config.http.port}/healthz" in " ".join(svc["healthcheck"]["test"])


def test_the_systemd_unit_runs_the_bot_and_does_not_restart_a_refusal() -> None:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    unit.read_string((DEPLOY / "innovdeizh.service").read_text("utf-8"))
    service = unit["Service"]
    assert service["ExecStart"].endswith("/bin/innovdeizh run")
    assert service["RestartPreventExitStatus"] == str(EXIT_CONFIG)
    assert service["KillSignal"] == "SIGTERM"
    assert service["User"] != "root"
    assert service["WorkingDirectory"] == f"/var/lib/{service['StateDirectory']}"


def test_the_containerfile_installs_the_locked_hashes_and_runs_as_a_user() -> None:
    lines = (ROOT / "Containerfile").read_text("utf-8").splitlines()
    assert any("--require-hashes" in line and "run.txt" in line for line in lines)
    assert "COPY requirements/run.txt /tmp/run.txt" in lines
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users
    assert users[-1] not in {"root", "0"}
    assert 'ENTRYPOINT ["innovdeizh"]' in lines
    assert 'CMD ["run"]' in lines
