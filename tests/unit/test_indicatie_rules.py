"""A missing or unfitting CIZ indicatie is content for the beoordelaar, not herstel (issue 26
point 9): R §5 ("check vooraf of de indicatie en het toegekende profiel nog passend zijn of dat
er eerst een her-aanvraag bij het CIZ gedaan moet worden") and R §10 (the zorgkantoor checks
that the client has an indicatie for which meerzorg can be asked). Awb 4:5 herstel is for
what the applicant can supply; the indicatie is the CIZ's besluit. Pure rules."""

from __future__ import annotations

import datetime as dt

from models.besluit import na_beoordeling, valideer_beoordeling
from models.bevinding import is_volledigheid
from models.motivering import problemen_afweging
from models.overgang import Stand
from models.proces import na_toets
from tests.factories import PEILDATUM, aanvraag, check_vooraf

NIET_PASSEND = aanvraag(check_vooraf=check_vooraf(indicatie_passend=False))
VERLOPEN = aanvraag(client={"indicatie_einddatum": "2026-05-31"})
PGB_NIET_PASSEND = aanvraag(
    soort="verlenging",
    client={"leveringsvorm": "pgb"},
    check_vooraf=check_vooraf(indicatie_passend=False),
)


def stand(a, status: str = "geregistreerd", **changes) -> Stand:
    base = dict(
        key="MZ-2026-000001", status=status, stap=1, ronde=0, aanvraag=a, ingediend_op=PEILDATUM
    )
    base.update(changes)
    return Stand(**base)


def test_awb_4_5_r_5_the_indicatie_finding_is_content_not_completeness():
    assert not is_volledigheid("INDICATIE_HERAANVRAAG")


def test_r_5_an_unfitting_indicatie_reaches_the_beoordelaar_with_advies_afwijzen():
    o = na_toets(stand(NIET_PASSEND), PEILDATUM)
    assert o.status == "beoordeling" and o.actie == "toets_ontvankelijk"
    assert "herstel_termijn" not in {t.soort for t in o.termijnen}
    assert "niet_ontvankelijk" not in {b.sjabloon for b in o.berichten}
    assert o.toets["volledig"] is True and o.toets["advies"] == "afwijzen"
    assert "geen passende, lopende CIZ-indicatie" in o.toets["advies_toelichting"]
    assert "wachten op de nieuwe" in o.toets["advies_toelichting"]


def test_r_5_r_10_the_finding_names_its_source_for_the_card():
    o = na_toets(stand(VERLOPEN), PEILDATUM)
    (b,) = [b for b in o.toets["bevindingen"] if b["code"] == "INDICATIE_HERAANVRAAG"]
    assert b["ernst"] == "blokkerend" and b["toelichting"].endswith("(R §5, §10).")
    assert "2026-05-31" in b["toelichting"] and o.status == "beoordeling"


def test_n_2025_a_thuis_verlenging_with_an_unfitting_indicatie_is_not_left_buiten_behandeling():
    """A new indicatie often takes longer than the four-week herstel term: that must not end
    a thuis verlenging buiten behandeling by timer; a person decides."""
    o = na_toets(stand(PGB_NIET_PASSEND), PEILDATUM)
    assert o.status == "beoordeling" and o.toets["advies"] == "afwijzen"


def test_r_10_waiting_for_the_new_indicatie_by_bijstellen_follows_the_advice():
    """The assessor's choices: afwijzen on the finding, or bijstellen (a term, the
    applicant's consent to suspend, models/bijstelling.py) to wait for the new indicatie;
    neither departs from the advice, so neither needs the Awb 3:46 weighing."""
    toetsdata = na_toets(stand(NIET_PASSEND), PEILDATUM).toets
    kort = "Eerst de nieuwe CIZ-indicatie."
    assert problemen_afweging({"uitkomst": "bijstellen", "onderbouwing": kort}, toetsdata) == []
    assert problemen_afweging({"uitkomst": "afwijzen", "onderbouwing": kort}, toetsdata) == []


def test_awb_3_47_an_afwijzing_on_the_indicatie_names_it_as_its_ground():
    toetsdata = na_toets(stand(NIET_PASSEND), PEILDATUM).toets
    s = stand(NIET_PASSEND, "beoordeling", ronde=1, toets=toetsdata)
    invoer = {
        "uitkomst": "afwijzen",
        "onderbouwing": "Eerst een nieuwe indicatie.",
        "beoordelaar": "b",
    }
    record = na_beoordeling(
        s, valideer_beoordeling(s, invoer), PEILDATUM + dt.timedelta(days=1)
    ).besluit
    (grond,) = record["gronden"]
    assert grond["bron"] == "R §5, §10" and "CIZ-indicatie" in grond["grond"]
