"""The yearly meerzorgdialoog as rules (R §10, DOMAIN.md §9): dates, timers, forms."""

from __future__ import annotations

import datetime as dt

import pytest

from models import dialoog as r
from models import dialoog_proces as p
from models import dialoog_verslag as v
from models.beleid import BeleidsFout, DialoogBeleid, beleid_op, laad_beleid_bestand
from models.berichten import maak_bericht
from models.brief import Afzender

BELEID = DialoogBeleid()
AFZENDER = Afzender("Zorgkantoor", ("Postbus 1",), ("Postbus 1",), "")
AGB = "73730001"


def stand(status="uitgenodigd", jaar=2027, **changes) -> r.DialoogStand:
    data = r.data_voor(jaar, BELEID, uitnodiging=dt.date(jaar - 1, 9, 1))
    values = dict(
        agb=AGB,
        jaar=jaar,
        status=status,
        stap=1,
        uitnodiging=data.uitnodiging,
        meerzorgplan_uiterlijk=data.meerzorgplan_uiterlijk,
        dialoog=data.dialoog,
    )
    values.update(changes)
    return r.DialoogStand(**values)


def verslag(**changes) -> dict:
    values = {
        "terugblik": "Eerste dialoog; geen afspraken van vorig jaar.",
        "meerzorgplan": "Plan besproken; doelen per groep helder.",
        "samenwerking_cce": "Twee ontwikkeltrajecten gepland.",
        "sturing": "Maandelijkse sturing op inzet nachtzorg.",
        "afspraken": "- Evaluatie groep De Linde in juni\n- Nachtzorg terug naar 3 uur",
        "gehouden_op": "2027-02-01",
        "verslaglegger": "b-001",
        "cce_aanwezig": True,
    }
    values.update(changes)
    return values


def test_the_policy_in_force_carries_the_dialoog_dates():
    d = beleid_op(dt.date(2026, 9, 1)).dialoog
    assert (d.uitnodiging_uiterlijk, d.meerzorgplan_weken_voor) == ("10-01", 4)
    assert "dialoog" in beleid_op(dt.date(2026, 9, 1)).public()


def test_meerzorgplan_is_due_four_weeks_before_the_dialoog():
    data = r.data_voor(2027, BELEID)
    assert data.dialoog == dt.date(2027, 2, 1)
    assert data.dialoog - data.meerzorgplan_uiterlijk == dt.timedelta(weeks=4)
    moved = p.na_meerzorgplan(
        stand(), {"dialoog_datum": "2027-03-15"}, dt.date(2026, 10, 1), BELEID
    )
    assert moved.wijzigingen["meerzorgplan_uiterlijk"] == dt.date(2027, 2, 15)


def test_the_invitation_is_due_by_october_of_the_year_before():
    assert r.data_voor(2027, BELEID).uitnodiging == dt.date(2026, 10, 1)
    nieuw = r.nieuwe_dialoog(AGB, 2027, BELEID)
    assert nieuw.termijnen == (r.Termijn("uitnodiging_uiterlijk", dt.date(2026, 10, 1)),)


def test_a_late_invitation_moves_the_dialoog_so_the_provider_keeps_its_preparation_time():
    data = r.data_voor(2027, BELEID, uitnodiging=dt.date(2027, 1, 10))
    assert data.meerzorgplan_uiterlijk - data.uitnodiging == dt.timedelta(weeks=4)
    assert data.dialoog == dt.date(2027, 3, 7)


def test_inviting_sends_the_invitation_to_provider_and_cce_and_starts_the_plan_timers():
    """R §10: the dialoog is held with the CCE, so the CCE is invited on its own channel,
    not told through the operations channel."""
    gepland = stand(status="gepland")
    o = p.uitnodigen(gepland, dt.date(2026, 9, 1), BELEID)
    assert o.status == "uitgenodigd"
    assert [(b.sjabloon, b.kanaal) for b in o.berichten] == [
        ("dialoog_uitnodiging", "aanbieder"),
        ("dialoog_uitnodiging_cce", "cce"),
    ]
    assert {t.soort: t.datum for t in o.termijnen} == {
        "herinnering_meerzorgplan": dt.date(2026, 12, 21),
        "escalatie_meerzorgplan": dt.date(2027, 1, 11),
    }
    onderwerp, tekst = maak_bericht(
        o.berichten[0].sjabloon, zaak=gepland.key, **o.berichten[0].context
    )
    assert "2027-01-04" in tekst and "1. Terugblik" in tekst and gepland.key in onderwerp


def test_a_reminder_day_that_has_passed_at_the_invitation_is_skipped():
    beleid = DialoogBeleid(min_voorbereiding_weken=0)
    o = p.uitnodigen(stand(status="gepland"), dt.date(2026, 12, 30), beleid)
    assert [t.soort for t in o.termijnen] == ["escalatie_meerzorgplan"]


def test_escalation_to_operations_when_the_plan_is_missing():
    s = stand()
    herinnering = p.bij_termijn(s, "herinnering_meerzorgplan", dt.date(2026, 12, 21), BELEID)
    assert [(b.sjabloon, b.kanaal) for b in herinnering.berichten] == [
        ("dialoog_herinnering_meerzorgplan", "aanbieder")
    ]
    assert herinnering.nieuwe_wacht is False
    escalatie = p.bij_termijn(s, "escalatie_meerzorgplan", dt.date(2027, 1, 11), BELEID)
    assert [(b.sjabloon, b.kanaal) for b in escalatie.berichten] == [
        ("dialoog_meerzorgplan_ontbreekt", "operations")
    ]
    assert escalatie.wacht_op == "meerzorgplan-te-laat" and escalatie.status == "uitgenodigd"


def test_no_reminder_or_escalation_once_the_plan_is_in():
    s = stand(status="plan_ontvangen")
    assert p.bij_termijn(s, "herinnering_meerzorgplan", dt.date(2026, 12, 21), BELEID) is None
    assert p.bij_termijn(s, "escalatie_meerzorgplan", dt.date(2027, 1, 11), BELEID) is None


def test_a_planned_dialoog_not_invited_by_the_latest_date_alerts_operations():
    o = p.bij_termijn(
        stand(status="gepland"), "uitnodiging_uiterlijk", dt.date(2026, 10, 1), BELEID
    )
    assert o.status == "gepland" and o.berichten[0].kanaal == "operations"
    assert p.bij_termijn(stand(), "uitnodiging_uiterlijk", dt.date(2026, 10, 1), BELEID) is None


def test_receiving_the_plan_moves_on_to_the_dialoog_with_a_verslag_reminder():
    o = p.na_meerzorgplan(stand(), {"ontvangen": True}, dt.date(2026, 12, 28), BELEID)
    assert o.status == "plan_ontvangen"
    assert o.wijzigingen["meerzorgplan_ontvangen"] == dt.date(2026, 12, 28)
    assert o.termijnen == (r.Termijn("verslag_herinnering", dt.date(2027, 2, 15)),)
    assert o.details["te_laat"] is False


def test_the_plan_form_without_an_answer_is_refused():
    with pytest.raises(p.OngeldigeInvoer, match="ontvangen"):
        p.na_meerzorgplan(stand(), {}, dt.date(2026, 12, 28), BELEID)
    with pytest.raises(p.OngeldigeInvoer, match="toekomst"):
        p.na_meerzorgplan(stand(), {"ontvangen_op": "2027-01-02"}, dt.date(2026, 12, 28), BELEID)
    with pytest.raises(p.OngeldigeInvoer, match="geen datum"):
        p.na_meerzorgplan(stand(), {"dialoog_datum": "maart"}, dt.date(2026, 12, 28), BELEID)


def test_the_agenda_has_the_five_fixed_items_of_the_regeling():
    assert r.AGENDA_KEYS == (
        "terugblik",
        "meerzorgplan",
        "samenwerking_cce",
        "sturing",
        "afspraken",
    )
    assert [titel[0] for _, titel, _ in r.AGENDA] == ["1", "2", "3", "4", "5"]


def test_the_verslag_needs_every_agenda_item():
    s = stand(status="plan_ontvangen")
    with pytest.raises(p.OngeldigeInvoer, match="3. Samenwerking"):
        p.na_verslag(s, verslag(samenwerking_cce=" "), dt.date(2027, 2, 2), BELEID)


def test_the_verslag_needs_an_afspraak_and_a_verslaglegger():
    s = stand(status="plan_ontvangen")
    with pytest.raises(p.OngeldigeInvoer, match="afspraak"):
        p.na_verslag(s, verslag(afspraken="-\n- "), dt.date(2027, 2, 2), BELEID)
    with pytest.raises(p.OngeldigeInvoer, match="verslaglegger"):
        p.na_verslag(s, verslag(verslaglegger=""), dt.date(2027, 2, 2), BELEID)


def test_r10_a_dialoog_without_the_cce_present_does_not_close_and_says_to_move_it():
    """R §10: "Ieder jaar voert de zorgaanbieder samen met het zorgkantoor en CCE een
    meerzorgdialoog": without the CCE it was not that dialoog, so it is moved, not closed."""
    s = stand(status="plan_ontvangen")
    with pytest.raises(p.OngeldigeInvoer, match="CCE neemt deel.*R §10.*dialoog_datum"):
        p.na_verslag(s, verslag(cce_aanwezig=False), dt.date(2027, 2, 2), BELEID)
    o = p.na_verslag(s, verslag(), dt.date(2027, 2, 2), BELEID)
    assert o.wijzigingen["cce_aanwezig"] is True and o.details["cce_aanwezig"] is True


def test_r10_the_verslag_goes_to_the_provider_as_a_letter_its_message_the_key_only():
    """R §10: the afspraken land in the provider's meerzorgplan, so the verslag reaches the
    provider: a letter (the notes and afspraken) carried by a message with key and dates."""
    s = stand(status="plan_ontvangen")
    notities = verslag(meerzorgplan="Bijzonder: client Jansen, BSN 999999990")
    o = p.na_verslag(s, notities, dt.date(2027, 2, 2), BELEID)
    bericht = o.verslag
    assert bericht is not None and bericht.kanaal == "aanbieder"
    onderwerp, tekst = maak_bericht(bericht.sjabloon, zaak=s.key, **bericht.context)
    assert s.key in onderwerp and "2 afspraken" in tekst
    assert "Jansen" not in onderwerp + tekst and "999999990" not in onderwerp + tekst
    inhoud = v.verslag_inhoud(
        agb=AGB,
        jaar=2027,
        aanbieder_naam="Stichting De Linde",
        gehouden_op=dt.date(2027, 2, 1),
        datum=dt.date(2027, 2, 2),
        notities=o.wijzigingen["notities"],
        afspraken=o.wijzigingen["afspraken"],
        afzender=AFZENDER,
    )
    assert inhoud.kenmerk == "dialoog-73730001-2027/verslag" and inhoud.rechtsmiddel == "geen"
    assert "- Nachtzorg terug naar 3 uur" in inhoud.dictum
    assert "Plan besproken; doelen per groep helder." not in inhoud.dictum  # replaced above
    assert "Bijzonder: client Jansen, BSN 999999990" not in inhoud.dictum  # §17: masked
    assert any(r.startswith("Bijzonder: client Jansen, BSN ") for r in inhoud.dictum)


def test_a_verslag_with_characters_the_letter_cannot_print_is_refused_in_one_line():
    s = stand(status="plan_ontvangen")
    with pytest.raises(p.OngeldigeInvoer, match="niet kan afdrukken") as fout:
        p.na_verslag(s, verslag(sturing="Goed \U0001f600"), dt.date(2027, 2, 2), BELEID)
    assert "\n" not in str(fout.value)


def test_a_dialoog_cannot_be_reported_before_it_was_held():
    s = stand(status="plan_ontvangen")
    with pytest.raises(p.OngeldigeInvoer, match="nog niet gehouden"):
        p.na_verslag(s, verslag(gehouden_op=None), dt.date(2027, 1, 20), BELEID)


def test_completing_the_dialoog_carries_the_afspraken_to_next_year():
    s = stand(status="plan_ontvangen")
    o = p.na_verslag(s, verslag(), dt.date(2027, 2, 2), BELEID)
    assert o.status == "afgerond" and o.sluit
    assert (
        o.wijzigingen["afspraken"] == "Evaluatie groep De Linde in juni\nNachtzorg terug naar 3 uur"
    )
    assert o.volgend_jaar == {"jaar": 2028, "vorige_afspraken": o.wijzigingen["afspraken"]}


def test_next_years_terugblik_is_prefilled_with_this_years_afspraken():
    nieuw = r.nieuwe_dialoog(AGB, 2028, BELEID, vorige_afspraken="Evaluatie in juni\nMinder nacht")
    assert nieuw.notities["terugblik"] == (
        "Afspraken uit de meerzorgdialoog 2027:\n- Evaluatie in juni\n- Minder nacht"
    )
    assert r.nieuwe_dialoog(AGB, 2028, BELEID).notities == {}


def test_a_prefilled_terugblik_alone_does_not_count_as_a_verslag():
    prefill = r.terugblik_prefill(2026, "Oude afspraak")
    s = stand(status="plan_ontvangen", notities={"terugblik": prefill})
    o = p.na_verslag(
        s, {"terugblik": prefill, "dialoog_datum": "2027-02-20"}, dt.date(2027, 1, 20), BELEID
    )
    assert o.actie == "dialoog_verplaatst" and o.wijzigingen["dialoog"] == dt.date(2027, 2, 20)
    assert o.termijnen == (r.Termijn("verslag_herinnering", dt.date(2027, 3, 6)),)


def test_a_rejected_verslag_keeps_what_was_typed():
    s = stand(status="plan_ontvangen")
    o = p.ongeldig(s, "vul de agendapunten in", {"meerzorgplan": "besproken", "sturing": ""})
    assert o.actie == "ongeldige_invoer" and o.wijzigingen == {
        "notities": {"meerzorgplan": "besproken"}
    }


def test_a_policy_with_an_impossible_month_day_is_refused(tmp_path):
    path = tmp_path / "concept.toml"
    path.write_text(
        'versie = "concept"\nbasis = "2025.1"\ningangsdatum = 2030-01-01\n'
        '[dialoog]\nuitnodiging_uiterlijk = "02-30"\n'
    )
    with pytest.raises(BeleidsFout, match="month-day"):
        laad_beleid_bestand(path)


def test_every_dialoog_message_renders_without_free_text():
    s = stand()
    berichten = [
        *p.uitnodigen(stand(status="gepland"), dt.date(2026, 9, 1), BELEID).berichten,
        *p.bij_termijn(s, "herinnering_meerzorgplan", dt.date(2026, 12, 21), BELEID).berichten,
        *p.bij_termijn(s, "escalatie_meerzorgplan", dt.date(2027, 1, 11), BELEID).berichten,
        *p.na_meerzorgplan(s, {"ontvangen": True}, dt.date(2026, 12, 28), BELEID).berichten,
        *p.na_verslag(
            stand(status="plan_ontvangen"), verslag(), dt.date(2027, 2, 2), BELEID
        ).berichten,
    ]
    for b in berichten:
        onderwerp, tekst = maak_bericht(b.sjabloon, zaak=s.key, **b.context)
        assert s.key in onderwerp
        assert "De Linde" not in tekst  # the verslag's own words stay in the database


def test_a_newcomer_still_gets_this_years_dialoog_while_it_fits_in_the_year():
    from models.dialoog import planbare_jaren

    beleid = beleid_op(dt.date(2026, 6, 1)).dialoog
    assert planbare_jaren(dt.date(2026, 6, 1), beleid) == [2026]
    # Invited on 1 November: eight weeks of preparation end in December.
    assert planbare_jaren(dt.date(2026, 11, 1), beleid) == [2026, 2027]
    # Invited on 1 December: the dialoog would fall in January, so only next year's.
    assert planbare_jaren(dt.date(2026, 12, 1), beleid) == [2027]


def test_next_years_dialoog_waits_for_the_yearly_planning_date():
    from models.dialoog import planbare_jaren

    beleid = beleid_op(dt.date(2026, 6, 1)).dialoog
    assert 2027 not in planbare_jaren(dt.date(2026, 8, 31), beleid)
    assert 2027 in planbare_jaren(dt.date(2026, 9, 1), beleid)
