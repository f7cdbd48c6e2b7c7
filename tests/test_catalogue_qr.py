"""``innovdeizh qr <target>`` writes a PNG of the card's deep link, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.services.catalogue.qr_codes import BadTarget, deep_link


def test_qr_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "affiche.png"
    target = "lab-vers-une-mobilite-durable"
    assert main(["qr", target, "--bot", "innovdeizh_bot", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (
        "https://t.me/innovdeizh_bot?start=lab-vers-une-mobilite-durable"
        in capsys.readouterr().out
    )


def test_qr_refuses_what_is_not_a_card(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    assert main(["qr", "lab-<script>", "--bot", "innovdeizh_bot", "--out", str(out)]) == 2
    assert not out.exists()
    with pytest.raises(BadTarget):
        deep_link("innovdeizh_bot", "innovation-" + "9" * 60)  # payload over 64 characters
