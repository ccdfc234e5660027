"""The recommendation fed the facts of the EDPB's worked cases (guidelines 01/2021, v2.0).

Each case's facts are filled in as a systemkoordinator would on the facts form, from the
reference table in ../shared/domain/gdpr-breach-cases.md; the expected answer is the
guideline's own conclusion (SA = notify Datatilsynet, DS = tell the people affected).
Where the table marks the source or the conclusion uncertain, the case says so: there
the factors, not the case number, carry the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from incidents.models.choices import PeopleAffected, Severity
from incidents.models.risk import (
    DataKind,
    DataLeft,
    Encryption,
    Identifiable,
    Recipient,
    Restore,
    RiskFacts,
    SubjectsException,
)
from incidents.recommend import FACTORS, HIGH, RISK, UNLIKELY, recommend

YES, NO = "yes", "no"


@dataclass
class Case:
    number: str
    title: str
    facts: dict
    people: str
    sa: bool
    ds: bool
    factors: set[str]
    uncertain: str = ""


CASES = [
    Case(
        "01",
        "Ransomware with proper backup and without exfiltration",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.NO,
            recipient=Recipient.NONE,
            encryption=Encryption.STRONG,
            restore=Restore.QUICK,
            integrity=NO,
            vulnerable=NO,
            malicious=YES,
        ),
        PeopleAffected.SOME,
        sa=False,
        ds=False,
        factors={"left_no", "restored_quickly"},
    ),
    Case(
        "02",
        "Ransomware without proper backup",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.NO,
            recipient=Recipient.NONE,
            encryption=Encryption.NONE,
            restore=Restore.SLOW,
            integrity=NO,
            vulnerable=NO,
            malicious=YES,
        ),
        PeopleAffected.MANY,
        sa=True,
        ds=False,
        factors={"restored_slowly"},
        uncertain="the facts are uncertain (source: a law-firm summary)",
    ),
    Case(
        "03",
        "Ransomware with backup and without exfiltration in a hospital",
        dict(
            data_kind=DataKind.SPECIAL,
            data_left=DataLeft.NO,
            recipient=Recipient.NONE,
            restore=Restore.SLOW,
            integrity=NO,
            vulnerable=YES,
            malicious=YES,
        ),
        PeopleAffected.VERY_MANY,
        sa=True,
        ds=True,
        factors={"restored_slowly", "data_special", "vulnerable"},
    ),
    Case(
        "04",
        "Ransomware without backup and with exfiltration",
        dict(
            data_kind=DataKind.FINANCIAL,
            data_left=DataLeft.EXFILTRATED,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.LOST,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.VERY_MANY,
        sa=True,
        ds=True,
        factors={"data_financial", "left_exfiltrated", "recipient_unknown"},
        uncertain="the facts are uncertain (source: a law-firm summary)",
    ),
    Case(
        "05",
        "Exfiltration of job application data from a website",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.EXFILTRATED,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.MANY,  # about 213 application forms
        sa=True,
        ds=True,
        factors={"left_exfiltrated", "recipient_unknown", "malicious", "volume_many"},
    ),
    Case(
        "06",
        "Exfiltration of hashed password from a website",
        dict(
            data_kind=DataKind.CREDENTIALS,
            data_left=DataLeft.EXFILTRATED,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.STRONG,  # salted state-of-the-art hashes, salt safe
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            malicious=YES,
        ),
        PeopleAffected.VERY_MANY,  # about 1,200 users
        sa=False,
        ds=False,
        factors={"left_exfiltrated", "encrypted"},
    ),
    Case(
        "07",
        "Credential stuffing attack on a banking website",
        dict(
            data_kind=DataKind.FINANCIAL,
            data_left=DataLeft.EXFILTRATED,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.VERY_MANY,
        sa=True,
        ds=True,
        factors={"data_financial", "left_exfiltrated", "recipient_unknown"},
        uncertain="uncertain: no source found for this case (reference table: U)",
    ),
    Case(
        "08",
        "Exfiltration of business data by an employee",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.EXFILTRATED,
            recipient=Recipient.KNOWN,  # the departing employee
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.MANY,
        sa=True,
        ds=False,
        factors={"left_exfiltrated", "not_encrypted", "recipient_known", "malicious"},
    ),
    Case(
        "09",
        "Accidental transmission of data to a trusted third party",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.MISDIRECTED,
            recipient=Recipient.TRUSTED,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            malicious=NO,
        ),
        PeopleAffected.SOME,  # about 24 customers
        sa=False,
        ds=False,
        factors={"left_misdirected", "recipient_trusted"},
    ),
    Case(
        "10",
        "Stolen material storing encrypted personal data",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.LOST,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.STRONG,
            restore=Restore.QUICK,  # backup available
            integrity=NO,
            vulnerable=NO,
            malicious=YES,
        ),
        PeopleAffected.MANY,
        sa=False,
        ds=False,
        factors={"left_lost", "encrypted", "restored_quickly"},
        uncertain="the facts are uncertain (source: a law-firm summary)",
    ),
    Case(
        "11",
        "Stolen material storing non-encrypted personal data",
        dict(
            data_kind=DataKind.ORDINARY,  # names, addresses, dates of birth
            data_left=DataLeft.LOST,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.QUICK,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.VERY_MANY,  # more than 100,000 customers
        sa=True,
        ds=True,
        factors={"left_lost", "recipient_unknown", "malicious", "volume_many", "identifiable"},
    ),
    Case(
        "12",
        "Stolen paper files with sensitive data",
        dict(
            data_kind=DataKind.SPECIAL,
            data_left=DataLeft.LOST,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.LOST,
            integrity=NO,
            vulnerable=YES,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.SOME,
        sa=True,
        ds=True,
        factors={"data_special", "left_lost", "recipient_unknown", "vulnerable"},
        uncertain="uncertain: no source found for this case (reference table: U)",
    ),
    Case(
        "13",
        "Postal mail mistake (packing bills swapped)",
        dict(
            data_kind=DataKind.ORDINARY,
            data_left=DataLeft.MISDIRECTED,
            recipient=Recipient.KNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            malicious=NO,
        ),
        PeopleAffected.FEW,
        sa=False,
        ds=False,
        factors={"left_misdirected", "data_ordinary", "volume_few", "recipient_known"},
    ),
    Case(
        "14",
        "Highly confidential personal data sent by mail by mistake",
        dict(
            data_kind=DataKind.IDENTITY,  # social security numbers
            data_left=DataLeft.MISDIRECTED,
            recipient=Recipient.KNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=NO,
        ),
        PeopleAffected.VERY_MANY,  # e-mailed to tens of thousands
        sa=True,
        ds=True,
        factors={"data_identity", "left_misdirected", "volume_many"},
        uncertain="the number of people is uncertain (source: a law-firm summary)",
    ),
    Case(
        "15",
        "Personal data sent by mail by mistake (a course list)",
        dict(
            data_kind=DataKind.ORDINARY,  # names and food preferences
            data_left=DataLeft.MISDIRECTED,
            recipient=Recipient.KNOWN,  # former participants
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            malicious=NO,
        ),
        PeopleAffected.SOME,  # 15 people
        sa=False,
        ds=False,
        factors={"left_misdirected", "data_ordinary", "volume_few", "recipient_known"},
        uncertain="uncertain: no source found for this case (reference table: U)",
    ),
    Case(
        "16",
        "Postal mail mistake (two car-insurance letters in one envelope)",
        dict(
            data_kind=DataKind.FINANCIAL,  # insurance tariffs and mileage
            data_left=DataLeft.MISDIRECTED,
            recipient=Recipient.KNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=NO,
        ),
        PeopleAffected.ONE,
        sa=True,
        ds=False,
        factors={"left_misdirected", "data_financial", "recipient_known"},
        uncertain=(
            "uncertain: the sources conflict on telling the person (v1.0 draft said yes, "
            "a v2.0 summary says no)"
        ),
    ),
    Case(
        "17",
        "Identity theft",
        dict(
            data_kind=DataKind.FINANCIAL,  # invoices
            data_left=DataLeft.MISDIRECTED,  # to the impostor's e-mail address
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=YES,  # the billing address was changed
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.ONE,
        sa=True,
        ds=True,
        factors={"data_financial", "left_misdirected", "recipient_unknown"},
        uncertain="uncertain: no source found for this case (reference table: U)",
    ),
    Case(
        "18",
        "Email exfiltration",
        dict(
            data_kind=DataKind.FINANCIAL,  # staff wages
            data_left=DataLeft.EXFILTRATED,
            recipient=Recipient.UNKNOWN,
            encryption=Encryption.NONE,
            restore=Restore.NOT_AFFECTED,
            integrity=NO,
            vulnerable=NO,
            identifiable=Identifiable.EASY,
            malicious=YES,
        ),
        PeopleAffected.SOME,
        sa=True,
        ds=True,
        factors={"data_financial", "left_exfiltrated", "recipient_unknown"},
    ),
]


def _answer(case: Case):
    return recommend(RiskFacts(**case.facts), case.people)


def _check(case: Case) -> None:
    answer = _answer(case)
    assert (answer.notify_authority, answer.inform_subjects) == (case.sa, case.ds), (
        f"EDPB 01/2021 case {case.number}: {answer.risk}, factors {answer.factor_codes}"
    )
    assert answer.risk == (HIGH if case.ds else RISK if case.sa else UNLIKELY)
    # Each answer names its driving factors, and these include the case's deciding facts.
    assert answer.factors, f"case {case.number} names no factor"
    assert case.factors <= set(answer.factor_codes), answer.factor_codes
    assert all(f.code in FACTORS and f.label for f in answer.factors)
    if not case.sa:
        # "Document only" always comes with its recorded reason why risk is unlikely.
        assert answer.unlikely_reasons


def _case(number: str) -> Case:
    return next(c for c in CASES if c.number == number)


def test_it_answers_edpb_01_2021_case_01_ransomware_with_backup():
    """EDPB 01/2021 case 01: document only (restored from backup, no exfiltration)."""
    _check(_case("01"))
    assert _answer(_case("01")).unlikely_reasons == ["restored"]


def test_it_answers_edpb_01_2021_case_02_ransomware_without_backup():
    """EDPB 01/2021 case 02: Datatilsynet, not the people. Uncertain: facts from a
    law-firm summary."""
    assert _case("02").uncertain
    _check(_case("02"))


def test_it_answers_edpb_01_2021_case_03_hospital_ransomware():
    """EDPB 01/2021 case 03: Datatilsynet and the people (health data out of reach)."""
    _check(_case("03"))


def test_it_answers_edpb_01_2021_case_04_ransomware_with_exfiltration():
    """EDPB 01/2021 case 04: Datatilsynet and the people. Uncertain: facts from a summary."""
    assert _case("04").uncertain
    _check(_case("04"))


def test_it_answers_edpb_01_2021_case_05_job_applications_exfiltrated():
    """EDPB 01/2021 case 05: Datatilsynet and the people."""
    _check(_case("05"))


def test_it_answers_edpb_01_2021_case_06_hashed_passwords():
    """EDPB 01/2021 case 06: document only (state-of-the-art hashes, salt safe)."""
    _check(_case("06"))
    assert _answer(_case("06")).unlikely_reasons == ["encrypted"]


def test_it_answers_edpb_01_2021_case_07_credential_stuffing():
    """EDPB 01/2021 case 07: Datatilsynet and the people. Uncertain: no source found."""
    assert _case("07").uncertain
    _check(_case("07"))


def test_it_answers_edpb_01_2021_case_08_employee_exfiltration():
    """EDPB 01/2021 case 08: Datatilsynet, not the people (a known recipient)."""
    _check(_case("08"))


def test_it_answers_edpb_01_2021_case_09_trusted_third_party():
    """EDPB 01/2021 case 09: document only (trusted recipient, deletion confirmed)."""
    _check(_case("09"))
    assert _answer(_case("09")).unlikely_reasons == ["trusted_recipient"]


def test_it_answers_edpb_01_2021_case_10_stolen_encrypted_tablets():
    """EDPB 01/2021 case 10: document only. Uncertain: facts from a summary."""
    assert _case("10").uncertain
    _check(_case("10"))


def test_it_answers_edpb_01_2021_case_11_stolen_unencrypted_notebook():
    """EDPB 01/2021 case 11: Datatilsynet and the people."""
    _check(_case("11"))


def test_it_answers_edpb_01_2021_case_12_stolen_paper_logbook():
    """EDPB 01/2021 case 12: Datatilsynet and the people. Uncertain: no source found."""
    assert _case("12").uncertain
    _check(_case("12"))


def test_it_answers_edpb_01_2021_case_13_packing_bills_swapped():
    """EDPB 01/2021 case 13: document only (two customers, ordinary data)."""
    _check(_case("13"))
    assert _answer(_case("13")).unlikely_reasons == ["limited"]


def test_it_answers_edpb_01_2021_case_14_confidential_data_mailed_to_many():
    """EDPB 01/2021 case 14: Datatilsynet and the people. Uncertain: the size."""
    assert _case("14").uncertain
    _check(_case("14"))


def test_it_answers_edpb_01_2021_case_15_course_list_mailed():
    """EDPB 01/2021 case 15: document only. Uncertain: no source found."""
    assert _case("15").uncertain
    _check(_case("15"))


def test_it_answers_edpb_01_2021_case_16_insurance_letters_in_one_envelope():
    """EDPB 01/2021 case 16: Datatilsynet; telling the person is UNCERTAIN (the sources
    conflict), so the recommendation follows its factors: one person, a known recipient,
    no malice, no vulnerability → not a high risk."""
    assert "uncertain" in _case("16").uncertain
    _check(_case("16"))


def test_it_answers_edpb_01_2021_case_17_identity_theft():
    """EDPB 01/2021 case 17: Datatilsynet and the people. Uncertain: no source found."""
    assert _case("17").uncertain
    _check(_case("17"))


def test_it_answers_edpb_01_2021_case_18_email_exfiltration():
    """EDPB 01/2021 case 18: Datatilsynet and the people."""
    _check(_case("18"))


def test_the_cases_cover_at_least_twelve_of_the_eighteen():
    assert len({c.number for c in CASES}) >= 12


# --- The rules around the cases -------------------------------------------------------


def test_it_recommends_notifying_when_the_facts_are_not_known():
    answer = recommend(RiskFacts(), PeopleAffected.UNKNOWN)
    assert answer.notify_authority and not answer.inform_subjects
    assert "unknown_facts" in answer.factor_codes
    assert {"data_kind", "data_left", "restore", "integrity"} <= set(answer.unknown)


def test_an_unknown_fact_never_makes_a_breach_document_only():
    facts = dict(_case("13").facts, malicious="unknown")
    answer = recommend(RiskFacts(**facts), PeopleAffected.FEW)
    assert answer.notify_authority and not answer.unlikely_reasons


def test_the_enisa_severity_raises_but_never_lowers():
    case = _case("13")
    medium = recommend(RiskFacts(**case.facts), case.people, Severity.MEDIUM)
    assert medium.notify_authority and "enisa_medium" in medium.factor_codes
    high = recommend(RiskFacts(**case.facts), case.people, Severity.HIGH)
    assert high.inform_subjects and "enisa_high" in high.factor_codes
    case = _case("11")
    low = recommend(RiskFacts(**case.facts), case.people, Severity.LOW)
    assert low.inform_subjects


@pytest.mark.parametrize(
    "exception, inform, public",
    [
        (SubjectsException.NONE, True, False),
        (SubjectsException.MEASURES, False, False),
        (SubjectsException.ENCRYPTED, False, False),
        (SubjectsException.DISPROPORTIONATE, False, True),
    ],
)
def test_an_article_34_3_exception_replaces_telling_each_person(exception, inform, public):
    case = _case("11")
    answer = recommend(RiskFacts(**case.facts, subjects_exception=exception), case.people)
    assert answer.risk == HIGH and answer.notify_authority
    assert (answer.inform_subjects, answer.public_communication) == (inform, public)
    assert answer.exception == exception


def test_ransomware_on_health_data_restored_quickly_stays_a_risk_not_high():
    facts = dict(_case("03").facts, restore=Restore.QUICK)
    answer = recommend(RiskFacts(**facts), PeopleAffected.VERY_MANY)
    # Restored within hours and nothing left: unlikely to result in a risk (as case 01).
    assert not answer.notify_authority and answer.unlikely_reasons == ["restored"]


@pytest.mark.django_db
def test_without_personal_data_there_is_nothing_to_notify(make_incident):
    from incidents.recommend import for_incident

    incident = make_incident(personal_data="no")
    answer = for_incident(incident)
    assert not answer.notify_authority and answer.factor_codes == ["no_personal_data"]
    incident.personal_data = "yes"
    assert for_incident(incident).notify_authority
