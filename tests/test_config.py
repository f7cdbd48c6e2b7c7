"""Bad configuration: one clear line naming the key, exit code 2, never the token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config

SECRET = "987654:SECRET-abcdefghijklmnopqrstuvwxyz"


def run_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], **env: str
) -> tuple[int, str]:
    for name in ("INNOVDEIZH_CONFIG", "INNOVDEIZH_TOKEN", "INNOVDEIZH_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["check-config"])
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("[telegram\ntoken = 'x'", "malformed TOML"),
        ("[bot]\ncolour = 'blue'\n", "bot.colour: unknown key"),
        ("[telegram]\nmode = 'webhook'\n", "telegram.webhook.url: required"),
        (
            "[telegram]\nmode = 'webhook'\n[telegram.webhook]\nurl = 'https://x.org/h'\n",
            "telegram.webhook.secret_token: required",
        ),
        ("[intake]\nkeep_done_days = 0\n", "intake.keep_done_days"),
        ("[intake]\nkeep = 7\n", "intake.keep: unknown key"),
        ("[telegram]\nmode = 'carrier-pigeon'\n", "telegram.mode"),
        ("[bot]\ntimezone = 'Europe/Rennes'\n", "bot.timezone"),
        ("[bot]\nadmin_ids = ['me']\n", "bot.admin_ids"),
        ("[database]\nurl = 'mysql://x'\n", "database.url"),
    ],
)
def test_bad_file_gives_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str,
    key: str,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")
    code, err = run_check(monkeypatch, capsys, INNOVDEIZH_CONFIG=str(path))
    assert code == 2
    assert key in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_invalid_token_is_named_but_never_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_check(monkeypatch, capsys, INNOVDEIZH_TOKEN="SECRET-not a token")
    assert code == 2
    assert "INNOVDEIZH_TOKEN: invalid token format" in err
    assert "SECRET" not in err


def test_unreachable_database_names_the_key_and_hides_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+asyncpg://bot:hunter2@127.0.0.1:1/innovdeizh"
    code, err = run_check(monkeypatch, capsys, INNOVDEIZH_DATABASE_URL=url)
    assert code == 2
    assert err.startswith("configuration error: database.url: cannot connect")
    assert "hunter2" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_explicit_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_check(monkeypatch, capsys, INNOVDEIZH_CONFIG=str(tmp_path / "nope.toml"))
    assert code == 2
    assert "INNOVDEIZH_CONFIG: file not found" in err


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[telegram]\ntoken = '1:file'\nbase_url = 'http://file/bot'\n", "utf-8")
    env = {
        "INNOVDEIZH_TOKEN": SECRET,
        "INNOVDEIZH_BASE_URL": "http://127.0.0.1:9/bot",
        "INNOVDEIZH_DATABASE_URL": "sqlite+aiosqlite:///x.sqlite3",
    }
    config = load_config(path, env)
    assert config.telegram.token == SECRET
    assert config.telegram.base_url == "http://127.0.0.1:9/bot"
    assert config.database.url == "sqlite+aiosqlite:///x.sqlite3"
    assert load_config(path, {}).telegram.token == "1:file"


def test_config_error_message_never_contains_the_token() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(Path("/nonexistent"), {"INNOVDEIZH_TOKEN": "12:has space"})
    assert "has space" not in str(caught.value)


def test_example_config_is_valid_and_documented() -> None:
    example = Path(__file__).parents[1] / "config.example.toml"
    load_config(example, {})
    lines = example.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"undocumented key: {line}"


def test_real_process_exits_2_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "INNOVDEIZH_TOKEN": SECRET + " oops", "INNOVDEIZH_CONFIG": ""}
    env.pop("INNOVDEIZH_CONFIG")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "configuration error: INNOVDEIZH_TOKEN: invalid token format (expected <digits>:<letters>)"
    )
    assert "SECRET" not in result.stdout + result.stderr
