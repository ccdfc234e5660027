"""What the law asks of a breach, from its facts: the EDPB's test, with its driving factors.

GDPR art. 33(1): notify Datatilsynet *unless the breach is unlikely to result in a risk*
to people's rights and freedoms. So notifying is the default and "document only" needs a
reason why risk is unlikely (EDPB guidelines 9/2022 and 01/2021). Art. 34: tell the
people affected when the risk is high, unless an art. 34(3) exception applies.

The rules below are written from the factors the EDPB's 18 worked cases turn on
(../shared/domain/gdpr-breach-cases.md; tests/incidents/test_recommend_edpb.py feeds
them in). An unknown fact never lowers the answer. The ENISA severity is one input: it
can raise the answer, never lower it. A person still decides (services.gdpr.decide).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from incidents.models.choices import Answer, NoRiskReason, PeopleAffected, Severity
from incidents.models.risk import (
    SENSITIVE_KINDS,
    DataKind,
    DataLeft,
    Encryption,
    Identifiable,
    Recipient,
    Restore,
    SubjectsException,
)

UNLIKELY, RISK, HIGH = "unlikely", "risk", "high"
FEW_PEOPLE = (PeopleAffected.ONE, PeopleAffected.FEW, PeopleAffected.SOME)
MANY_PEOPLE = (PeopleAffected.MANY, PeopleAffected.VERY_MANY)

# Every factor a recommendation can name: code → what it says, and whether it pushes
# the answer up (+) or down (−).
FACTORS: dict[str, tuple[str, object]] = {
    "data_ordinary": ("−", _("ordinary data only")),
    "data_financial": ("+", _("financial data")),
    "data_credentials": ("+", _("passwords or log-in data")),
    "data_identity": ("+", _("CPR numbers or identity documents")),
    "data_special": ("+", _("sensitive data (health, social conditions, offences)")),
    "volume_few": ("−", _("few people (at most 100)")),
    "volume_many": ("+", _("more than 100 people")),
    "left_no": ("−", _("no loss of confidentiality")),
    "left_misdirected": ("+", _("sent to the wrong recipient")),
    "left_exfiltrated": ("+", _("copied or taken out of the organisation")),
    "left_lost": ("+", _("device or papers lost or stolen")),
    "left_published": ("+", _("published or openly available")),
    "encrypted": ("−", _("encrypted with a current method, key not compromised")),
    "not_encrypted": ("+", _("not protected by current encryption")),
    "recipient_trusted": ("−", _("trusted recipient bound by secrecy, deletion confirmed")),
    "recipient_known": ("−", _("known, identified recipient")),
    "recipient_unknown": ("+", _("the data is in unknown hands")),
    "restored_quickly": ("−", _("restored from backup within a short time")),
    "restored_slowly": ("+", _("unavailable for days or rebuilt by hand")),
    "not_restored": ("+", _("lost: no usable backup")),
    "integrity": ("+", _("data altered or destroyed")),
    "vulnerable": ("+", _("vulnerable people (children, social cases, patients)")),
    "not_vulnerable": ("−", _("no vulnerable people")),
    "identifiable": ("+", _("the people are easily identified")),
    "not_identifiable": ("−", _("the people can hardly be identified")),
    "malicious": ("+", _("malicious intent")),
    "not_malicious": ("−", _("no malicious intent")),
    "enisa_medium": ("+", _("the ENISA severity is medium")),
    "enisa_high": ("+", _("the ENISA severity is high or very high")),
    "unknown_facts": ("+", _("facts not known yet (the law's default is to notify)")),
    "no_personal_data": ("−", _("no personal data is involved: not a personal data breach")),
}


@dataclass(frozen=True)
class Factor:
    code: str

    @property
    def effect(self) -> str:
        return FACTORS[self.code][0]

    @property
    def label(self) -> str:
        return str(FACTORS[self.code][1])


@dataclass
class Recommendation:
    risk: str
    notify_authority: bool
    inform_subjects: bool
    public_communication: bool
    factors: list[Factor] = field(default_factory=list)
    unlikely_reasons: list[str] = field(default_factory=list)
    exception: str = SubjectsException.NONE
    unknown: list[str] = field(default_factory=list)

    @property
    def factor_codes(self) -> list[str]:
        return [f.code for f in self.factors]

    @property
    def unlikely_texts(self) -> list[str]:
        return [str(NoRiskReason(code).label) for code in self.unlikely_reasons]

    @property
    def exception_label(self) -> str:
        return str(SubjectsException(self.exception).label)


class _Trail:
    """The factors, in the order the rules used them, each once."""

    def __init__(self) -> None:
        self.codes: list[str] = []

    def add(self, *codes: str | None) -> None:
        for code in codes:
            if code and code not in self.codes:
                self.codes.append(code)


def _volume(people: str) -> str | None:
    if people in FEW_PEOPLE:
        return "volume_few"
    if people in MANY_PEOPLE:
        return "volume_many"
    return None


def recommend(facts, people: str = PeopleAffected.UNKNOWN, severity: int | None = None):
    """The recommendation for `facts` (a RiskFacts), `people` (Incident.people_affected)
    and the latest ENISA `severity` (None when not assessed)."""
    kind, left, recipient = facts.data_kind, facts.data_left, facts.recipient
    sensitive = kind in SENSITIVE_KINDS
    data_code = f"data_{kind}" if kind != DataKind.UNKNOWN else None
    volume = _volume(people)
    unknown = [
        name
        for name, value in (
            ("data_kind", kind),
            ("data_left", left),
            ("restore", facts.restore),
            ("integrity", facts.integrity),
        )
        if value == "unknown"
    ]

    # Confidentiality: exposed unless nothing left, or only unintelligible data left.
    left_code = f"left_{left}" if left != DataLeft.UNKNOWN else None
    exposed_at_all = left != DataLeft.NO
    encrypted = facts.encryption == Encryption.STRONG
    if exposed_at_all and not encrypted and facts.encryption == Encryption.UNKNOWN:
        unknown.append("encryption")
    trusted = (
        left == DataLeft.MISDIRECTED
        and recipient == Recipient.TRUSTED
        and facts.malicious == Answer.NO
    )
    # High risk rests on known facts only; an unknown answer keeps the default (notify).
    exposed = left not in (DataLeft.NO, DataLeft.UNKNOWN) and not encrypted and not trusted
    uncontrolled = exposed and (
        left == DataLeft.PUBLISHED or recipient not in (Recipient.KNOWN, Recipient.TRUSTED)
    )
    recipient_code = "recipient_unknown" if uncontrolled else f"recipient_{recipient}"
    # Availability and integrity: harm to the data itself.
    restore_code = {
        Restore.QUICK: "restored_quickly",
        Restore.SLOW: "restored_slowly",
        Restore.LOST: "not_restored",
    }.get(facts.restore)
    damaged = facts.restore in (Restore.SLOW, Restore.LOST) or facts.integrity == Answer.YES
    vulnerable = facts.vulnerable == Answer.YES
    malicious = facts.malicious == Answer.YES

    # --- High risk (art. 34) -------------------------------------------------------
    high = _Trail()
    if exposed and sensitive and uncontrolled:
        # Fraud or identity theft is open to whoever has it (EDPB cases 04, 07, 12, 17, 18).
        high.add(data_code, left_code, recipient_code)
    if exposed and sensitive and people in MANY_PEOPLE:
        # Sensitive data about many, wherever it went (case 14).
        high.add(data_code, left_code, "volume_many")
    if exposed and sensitive and vulnerable:
        high.add(data_code, left_code, "vulnerable")
    if (
        uncontrolled
        and malicious
        and people in MANY_PEOPLE
        and facts.identifiable != Identifiable.HARD
    ):
        # Even ordinary data, taken with intent about many identifiable people (05, 11).
        high.add(left_code, recipient_code, "malicious", "volume_many")
        if facts.identifiable == Identifiable.EASY:
            high.add("identifiable")
    if damaged and (kind == DataKind.SPECIAL or vulnerable):
        # Health or social data out of reach (or wrong) for days (case 03).
        high.add(restore_code or "integrity", data_code if kind == DataKind.SPECIAL else None)
        if vulnerable:
            high.add("vulnerable")
    if severity is not None and severity >= Severity.HIGH:
        high.add("enisa_high")
    if high.codes:
        return _with_subjects(facts, high.codes, unknown)

    # --- Unlikely to result in a risk (document only, art. 33(5)) ------------------
    reasons: list[str] = []
    trail = _Trail()
    limited = (
        left == DataLeft.MISDIRECTED
        and recipient == Recipient.KNOWN
        and kind == DataKind.ORDINARY
        and facts.malicious == Answer.NO
        and facts.vulnerable == Answer.NO
        and people in FEW_PEOPLE
    )
    if left == DataLeft.NO:
        confidentiality_ok = True
    elif encrypted:
        confidentiality_ok = True
        reasons.append(NoRiskReason.ENCRYPTED)
        trail.add(left_code, "encrypted")
    elif trusted:
        confidentiality_ok = True
        reasons.append(NoRiskReason.TRUSTED_RECIPIENT)
        trail.add(left_code, "recipient_trusted")
    elif limited:
        confidentiality_ok = True
        reasons.append(NoRiskReason.LIMITED)
        trail.add(left_code, "data_ordinary", "volume_few", "recipient_known", "not_malicious")
        trail.add("not_vulnerable")
    else:
        confidentiality_ok = False
    available_ok = facts.restore in (Restore.NOT_AFFECTED, Restore.QUICK)
    intact_ok = facts.integrity == Answer.NO
    enisa_ok = severity is None or severity == Severity.LOW
    if confidentiality_ok and available_ok and intact_ok and enisa_ok:
        if left == DataLeft.NO and facts.restore == Restore.QUICK:
            reasons.insert(0, NoRiskReason.RESTORED)
            trail.add("left_no", "restored_quickly")
        elif left == DataLeft.NO:
            reasons.append(NoRiskReason.NO_LOSS)
            trail.add("left_no")
        elif facts.restore == Restore.QUICK:
            trail.add("restored_quickly")
        return Recommendation(
            risk=UNLIKELY,
            notify_authority=False,
            inform_subjects=False,
            public_communication=False,
            factors=[Factor(c) for c in trail.codes],
            unlikely_reasons=reasons,
            unknown=unknown,
        )

    # --- A risk: notify Datatilsynet ------------------------------------------------
    risk = _Trail()
    if not confidentiality_ok:
        risk.add(left_code)
        if exposed_at_all and facts.encryption != Encryption.UNKNOWN:
            risk.add("not_encrypted")
        risk.add(data_code if sensitive else None)
        if left == DataLeft.MISDIRECTED or recipient == Recipient.KNOWN:
            risk.add(recipient_code)
        risk.add("malicious" if malicious else None, "vulnerable" if vulnerable else None)
        if kind == DataKind.ORDINARY and not malicious and not vulnerable:
            risk.add(volume)
    if not available_ok:
        risk.add(restore_code)
    if facts.integrity == Answer.YES:
        risk.add("integrity")
    if severity == Severity.MEDIUM:
        risk.add("enisa_medium")
    if unknown:
        risk.add("unknown_facts")
    return Recommendation(
        risk=RISK,
        notify_authority=True,
        inform_subjects=False,
        public_communication=False,
        factors=[Factor(c) for c in risk.codes],
        unknown=unknown,
    )


def _with_subjects(facts, codes: list[str], unknown: list[str]):
    """Art. 34: a high risk is told to the people, unless an art. 34(3) exception applies;
    disproportionate effort means a public communication instead."""
    exception = facts.subjects_exception
    return Recommendation(
        risk=HIGH,
        notify_authority=True,
        inform_subjects=exception == SubjectsException.NONE,
        public_communication=exception == SubjectsException.DISPROPORTIONATE,
        factors=[Factor(c) for c in codes],
        exception=exception,
        unknown=unknown,
    )


def for_incident(incident):
    """The recommendation for a saved incident, from its risk facts and latest assessment."""
    from incidents.models.risk import risk_facts_for

    if incident.personal_data == Answer.NO:
        # Art. 33 and 34 apply to personal data breaches only.
        return Recommendation(
            risk=UNLIKELY,
            notify_authority=False,
            inform_subjects=False,
            public_communication=False,
            factors=[Factor("no_personal_data")],
        )
    return recommend(risk_facts_for(incident), incident.people_affected, incident.severity)
