"""``innovdeizh qr <target>`` writes a PNG of the card's deep link, offline, for a card that
exists (a QR code of a missing card would greet those who scan it with a bare welcome)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.services.catalogue.qr_codes import BadTarget, deep_link


@pytest.fixture
def configured(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI on a fresh database of the test (migrated and seeded by the command)."""
    monkeypatch.setenv("INNOVDEIZH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INNOVDEIZH_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")


@pytest.mark.usefixtures("configured")
def test_qr_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "affiche.png"
    target = "lab-vers-une-mobilite-durable"
    assert main(["qr", target, "--bot", "innovdeizh_bot", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (
        "https://t.me/innovdeizh_bot?start=lab-vers-une-mobilite-durable"
        in capsys.readouterr().out
    )


@pytest.mark.usefixtures("configured")
def test_qr_refuses_what_is_not_a_card(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    assert main(["qr", "lab-<script>", "--bot", "innovdeizh_bot", "--out", str(out)]) == 2
    assert not out.exists()
    with pytest.raises(BadTarget):
        deep_link("innovdeizh_bot", "innovation-" + "9" * 60)  # payload over 64 characters


@pytest.mark.usefixtures("configured")
@pytest.mark.parametrize("target", ["lab-nulle-part", "event-999999", "innovation-424242"])
def test_qr_refuses_a_card_that_does_not_exist(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.png"
    assert main(["qr", target, "--bot", "innovdeizh_bot", "--out", str(out)]) == 2
    assert not out.exists()
    assert f"no card {target!r}" in capsys.readouterr().err
