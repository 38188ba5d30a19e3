"""The versioned policy: loading, inheritance, selection by peildatum, and broken files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from models.beleid import BELEID_DIR, BeleidsFout, beleid_op, laad_beleid, laad_beleid_bestand

BASIS = (BELEID_DIR / "2025.1.toml").read_text(encoding="utf-8")


@pytest.fixture
def beleid_dir(tmp_path: Path) -> Path:
    """A copy of the shipped policy directory to break."""
    target = tmp_path / "beleid"
    shutil.copytree(BELEID_DIR, target)
    return target


def _schrijf(directory: Path, naam: str, tekst: str) -> None:
    (directory / naam).write_text(tekst, encoding="utf-8")


# --- the shipped policy ---------------------------------------------------------------------------


def test_shipped_policy_has_three_versions_in_date_order():
    versies = laad_beleid()
    assert [(b.versie, b.ingangsdatum) for b in versies] == [
        ("2025.1", dt.date(2025, 1, 1)),
        ("2025.2", dt.date(2025, 9, 1)),
        ("2026.1", dt.date(2026, 3, 1)),
    ]


def test_later_versions_inherit_what_they_do_not_override():
    b1, b2, b3 = laad_beleid()
    assert b1.drempel == b2.drempel == b3.drempel == 0.25
    assert b3.norm_uren_per_week == b1.norm_uren_per_week
    assert (b1.toets.coulante_verlenging_thuis, b2.toets.coulante_verlenging_thuis) == (False, True)
    assert b3.toets.coulante_verlenging_thuis is True
    assert b2.toets.thuis_stapsgewijs == ()
    assert b3.toets.thuis_stapsgewijs[0] == "indicatie"


def test_shipped_policy_has_the_rule_numbers():
    t = beleid_op(dt.date(2026, 6, 1)).termijnen
    assert (t.max_maanden, t.vg7_plus_max_maanden) == (36, 12)
    assert (t.preventief_min_maanden, t.preventief_max_maanden) == (3, 6)
    assert (t.bezwaar_weken, t.beslistermijn_weken) == (6, 8)
    assert t.ontwikkeltraject_periode_maanden == 36


def test_vg6_has_no_meerzorg_in_any_leveringsvorm():
    for b in laad_beleid():
        assert all("VG6" not in namen for namen in b.profielen.values())


@pytest.mark.parametrize(
    ("peildatum", "versie"),
    [("2025-09-01", "2025.2"), ("2026-03-01", "2026.1")],
)
def test_version_starts_on_its_ingangsdatum(peildatum, versie):
    dag = dt.date.fromisoformat(peildatum)
    assert beleid_op(dag).versie == versie
    assert beleid_op(dag - dt.timedelta(days=1)).versie != versie


def test_no_policy_before_the_first_version():
    with pytest.raises(
        BeleidsFout, match="no policy in force on 2024-12-31; the first starts 2025-01-01"
    ):
        beleid_op(dt.date(2024, 12, 31))


def test_public_shape_lists_profiles_per_leveringsvorm():
    out = beleid_op(dt.date(2026, 3, 1)).public()
    assert out["versie"] == "2026.1"
    assert out["ingangsdatum"] == "2026-03-01"
    assert set(out["profielen"]) == {"verblijf", "vpt", "mpt", "pgb"}
    assert out["norm_uren_per_week"]["VG7"] == 26.0
    assert out["drempel"] == 0.25


# --- broken policy directories raise BeleidsFout with a clear message --------------------------------


def test_bad_toml_names_the_file(beleid_dir):
    _schrijf(beleid_dir, "2026.1.toml", 'versie = "2026.1"\nbasis = \n')
    with pytest.raises(BeleidsFout, match=r"^policy file 2026\.1\.toml: "):
        laad_beleid(beleid_dir)


def test_missing_required_key_names_version_and_key(beleid_dir):
    _schrijf(beleid_dir, "2025.1.toml", BASIS.replace("drempel = 0.25", ""))
    with pytest.raises(BeleidsFout, match=r"^policy version 2025\.1: drempel: Field required$"):
        laad_beleid(beleid_dir)


def test_missing_nested_key_names_its_path(beleid_dir):
    _schrijf(beleid_dir, "2025.1.toml", BASIS.replace("max_maanden = 36", ""))
    with pytest.raises(
        BeleidsFout, match=r"policy version 2025\.1: termijnen\.max_maanden: Field required"
    ):
        laad_beleid(beleid_dir)


def test_unknown_basis_is_named(beleid_dir):
    tekst = (beleid_dir / "2026.1.toml").read_text().replace('basis = "2025.2"', 'basis = "2024.9"')
    _schrijf(beleid_dir, "2026.1.toml", tekst)
    with pytest.raises(
        BeleidsFout, match=r"^policy version 2026\.1: basis 2024\.9 does not exist$"
    ):
        laad_beleid(beleid_dir)


def test_missing_versie_is_named(beleid_dir):
    _schrijf(beleid_dir, "concept.toml", 'ingangsdatum = 2027-01-01\nbasis = "2026.1"\n')
    with pytest.raises(BeleidsFout, match=r"^policy file concept\.toml: missing 'versie'$"):
        laad_beleid(beleid_dir)


def test_version_defined_twice_is_refused(beleid_dir):
    _schrijf(
        beleid_dir, "kopie.toml", 'versie = "2025.2"\nbasis = "2025.1"\ningangsdatum = 2027-01-01\n'
    )
    with pytest.raises(BeleidsFout, match="version 2025.2 is defined twice"):
        laad_beleid(beleid_dir)


def test_circular_basis_is_refused(tmp_path):
    _schrijf(tmp_path, "a.toml", 'versie = "A"\nbasis = "B"\ningangsdatum = 2027-01-01\n')
    _schrijf(tmp_path, "b.toml", 'versie = "B"\nbasis = "A"\ningangsdatum = 2027-02-01\n')
    with pytest.raises(BeleidsFout, match="circular basis"):
        laad_beleid(tmp_path)


def test_empty_directory_is_refused(tmp_path):
    with pytest.raises(BeleidsFout, match="no policy files in"):
        laad_beleid(tmp_path)


def test_two_versions_on_one_ingangsdatum_are_refused(beleid_dir):
    _schrijf(
        beleid_dir,
        "2026.2.toml",
        'versie = "2026.2"\nbasis = "2026.1"\ningangsdatum = 2026-03-01\n',
    )
    with pytest.raises(BeleidsFout, match="share an ingangsdatum"):
        laad_beleid(beleid_dir)


def test_unknown_toets_step_is_refused(beleid_dir):
    _schrijf(
        beleid_dir,
        "2027.1.toml",
        'versie = "2027.1"\nbasis = "2026.1"\ningangsdatum = 2027-01-01\n'
        '[toets]\nthuis_stapsgewijs = ["indicatie", "horoscoop"]\n',
    )
    with pytest.raises(BeleidsFout, match=r"policy version 2027\.1: toets.*horoscoop"):
        laad_beleid(beleid_dir)


def test_eligible_profile_without_norm_hours_is_refused(beleid_dir):
    _schrijf(beleid_dir, "2025.1.toml", BASIS.replace("VG7 = 26.0\n", ""))
    with pytest.raises(BeleidsFout, match=r"names \['VG7'\] without norm_uren_per_week"):
        laad_beleid(beleid_dir)


def test_unknown_key_is_refused(beleid_dir):
    _schrijf(
        beleid_dir, "2025.1.toml", BASIS.replace("drempel = 0.25", "drempel = 0.25\ndrempell = 1")
    )
    with pytest.raises(BeleidsFout, match=r"policy version 2025\.1: drempell: "):
        laad_beleid(beleid_dir)


def test_bands_out_of_order_are_refused(beleid_dir):
    _schrijf(beleid_dir, "2025.1.toml", BASIS.replace("tot = 25000.0", "tot = 60000.0"))
    with pytest.raises(BeleidsFout, match="ascending order"):
        laad_beleid(beleid_dir)


def test_incomplete_tariff_table_is_refused(beleid_dir):
    _schrijf(beleid_dir, "2025.1.toml", BASIS.replace("nachtzorg = 70.0\n", ""))
    with pytest.raises(BeleidsFout, match=r"tarieven\.zorg must have exactly"):
        laad_beleid(beleid_dir)


def test_broken_basis_version_also_breaks_the_load(beleid_dir):
    _schrijf(beleid_dir, "2025.1.toml", BASIS.replace("drempel = 0.25", "drempel = -1"))
    with pytest.raises(BeleidsFout, match=r"policy version 2025\.1: drempel: "):
        laad_beleid(beleid_dir)


# --- a single draft file (what-if runs) ------------------------------------------------------------


def test_draft_policy_file_inherits_from_its_basis(tmp_path):
    path = tmp_path / "concept.toml"
    path.write_text(
        'versie = "2027.1-concept"\nbasis = "2026.1"\ningangsdatum = 2027-01-01\ndrempel = 0.3\n'
    )
    b = laad_beleid_bestand(path)
    assert (b.versie, b.drempel) == ("2027.1-concept", 0.3)
    assert b.toets.thuis_stapsgewijs[0] == "indicatie"


def test_draft_policy_file_with_bad_toml_is_refused(tmp_path):
    path = tmp_path / "concept.toml"
    path.write_text("versie = \n")
    with pytest.raises(BeleidsFout, match="concept.toml"):
        laad_beleid_bestand(path)


def test_missing_draft_policy_file_is_refused(tmp_path):
    with pytest.raises(BeleidsFout, match="bestaat-niet.toml"):
        laad_beleid_bestand(tmp_path / "bestaat-niet.toml")
