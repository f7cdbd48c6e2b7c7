"""The offline communes directory: forgiving look-ups and distances."""

from __future__ import annotations

import pytest

from bot.services.catalogue.communes import DEPARTEMENTS, CommuneDirectory, distance_km, fold_place


@pytest.fixture(scope="module")
def directory() -> CommuneDirectory:
    return CommuneDirectory.load()


def test_ships_communes_of_the_five_departements(directory: CommuneDirectory) -> None:
    assert len(directory) > 1000
    found = [directory.find(n) for n in ["Quimper", "Rennes", "Nantes", "Vannes"]]
    assert [c.departement if c else None for c in found] == ["29", "35", "44", "56"]
    assert set(DEPARTEMENTS) == {"22", "29", "35", "44", "56"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("quimperle", "Quimperlé"),
        ("SAINT BRIEUC", "Saint-Brieuc"),
        ("St-Malo", "Saint-Malo"),
        ("  landerneau ", "Landerneau"),
    ],
)
def test_find_ignores_accents_case_and_hyphens(
    directory: CommuneDirectory, typed: str, expected: str
) -> None:
    found = directory.find(typed)
    assert found is not None
    assert found.name == expected


def test_find_unknown_and_suggest_close_names(directory: CommuneDirectory) -> None:
    assert directory.find("Atlantis") is None
    assert directory.find("") is None
    assert "Quimperlé" in [c.name for c in directory.suggest("Quimperle sur mer")]
    assert directory.suggest("Landernau")[0].name == "Landerneau"
    assert directory.suggest("") == []


def test_nearest_commune_and_distance(directory: CommuneDirectory) -> None:
    rennes = directory.find("Rennes")
    nantes = directory.find("Nantes")
    assert rennes is not None
    assert nantes is not None
    km = distance_km(rennes.latitude, rennes.longitude, nantes.latitude, nantes.longitude)
    assert 95 < km < 105
    nearest = directory.nearest(rennes.latitude + 0.001, rennes.longitude)
    assert nearest is not None
    assert nearest.name == "Rennes"


def test_fold_place() -> None:
    assert fold_place("Plœmeur") == fold_place("PLOEMEUR") == "ploemeur"
    assert fold_place("L'Hermitage") == "l hermitage"
