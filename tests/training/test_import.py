"""Completions imported from the e-learning platform's CSV export."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredskab.importer import ImportFailed
from training.compliance import department_rows
from training.models import Assignment, CompletionSource
from training.services.assignments import sync_assignments
from training.services.completions import ImportRejected, import_completions, parse_date

GOOD = (
    "E-mail;Medarbejdernummer;Kursus;Gennemført\n"
    "worker@example.invalid;;Phishing: genkend falske mails og links;03-02-2026\n"
    ";1002;passwords-mfa;2026-02-04 10:15\n"
)


@pytest.fixture
def synced(staff):
    sync_assignments()
    return staff


def done_keys(person) -> set[str]:
    return set(
        Assignment.objects.done().filter(person=person).values_list("course__key", flat=True)
    )


def test_it_records_completions_matched_on_e_mail_or_employee_number(synced, systemkoordinator):
    result = import_completions(GOOD.encode(), actor=systemkoordinator)
    assert (result.rows, result.recorded, result.already_known) == (2, 2, 0)
    assert done_keys(synced["worker"].person) == {"phishing"}
    assert done_keys(synced["clerk"].person) == {"passwords-mfa"}
    row = Assignment.objects.get(person=synced["worker"].person, course__key="phishing")
    assert row.completed_on == date(2026, 2, 3)
    assert row.completion_source == CompletionSource.IMPORT


def test_it_matches_e_mail_regardless_of_case_and_reads_windows_1252(synced, systemkoordinator):
    data = (
        "Email,Course,Completed\n"
        "WORKER@Example.invalid,Sådan anmelder du en sikkerhedshændelse,1.3.2026\n"
    )
    result = import_completions(data.encode("cp1252"), actor=systemkoordinator)
    assert result.recorded == 1
    assert done_keys(synced["worker"].person) == {"report-incident"}


def test_it_is_idempotent_when_the_same_file_comes_twice(synced, systemkoordinator):
    import_completions(GOOD.encode(), actor=systemkoordinator)
    again = import_completions(GOOD.encode(), actor=systemkoordinator)
    assert (again.recorded, again.already_known) == (0, 2)
    assert Assignment.objects.done().count() == 2


def test_it_lists_every_bad_row_by_number_and_stores_nothing(synced, systemkoordinator):
    data = (
        "E-mail;Kursus;Gennemført\n"
        "worker@example.invalid;phishing;2026-02-03\n"  # good, but the file fails
        "nobody@example.invalid;phishing;2026-02-03\n"
        "worker@example.invalid;Knitting for beginners;2026-02-03\n"
        "worker@example.invalid;phishing;2026-02-04\n"
        "clerk@example.invalid;phishing;yesterday\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_completions(data.encode(), actor=systemkoordinator)
    errors = {e.number: e.message for e in caught.value.errors}
    assert sorted(errors) == [3, 4, 5, 6]
    assert "unknown person" in errors[3]
    assert "unknown course" in errors[4]
    assert "duplicate of row 2" in errors[5]
    assert "date" in errors[6]
    assert Assignment.objects.done().count() == 0


def test_it_refuses_a_file_without_a_way_to_match_people(synced, systemkoordinator):
    with pytest.raises(ImportRejected) as caught:
        import_completions(
            b"Kursus;Gennemf\xc3\xb8rt\nphishing;2026-01-01\n", actor=systemkoordinator
        )
    assert caught.value.errors[0].number == 1


def test_it_refuses_a_file_that_is_not_a_table(synced, systemkoordinator):
    with pytest.raises(ImportFailed):
        import_completions(b"\x00\x01\x02", actor=systemkoordinator)


def test_it_refuses_a_completion_in_the_future(synced, systemkoordinator):
    data = b"E-mail;Kursus;Gennemf\xc3\xb8rt\nworker@example.invalid;phishing;2999-01-01\n"
    with pytest.raises(ImportRejected) as caught:
        import_completions(data, actor=systemkoordinator)
    assert "future" in caught.value.errors[0].message


def test_it_raises_the_department_s_compliance(synced, systemkoordinator, department):
    today = date(2026, 3, 1)
    before = department_rows(None, today)[0]
    import_completions(GOOD.encode(), actor=systemkoordinator)
    after = department_rows(None, today)[0]
    assert after.name == department.name
    assert after.done == before.done + 2
    assert after.percent > before.percent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-03", date(2026, 2, 3)),
        ("03-02-2026", date(2026, 2, 3)),
        ("3.2.2026 14:00", date(2026, 2, 3)),
        ("03/02/2026", date(2026, 2, 3)),
        ("2026-02-30", None),
        ("soon", None),
        ("", None),
    ],
)
def test_it_reads_the_platform_s_date_formats(text, expected):
    assert parse_date(text) == expected


@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "worker@example.invalid;phishing;2026-02-03",
                    "clerk@example.invalid;passwords-mfa;1.2.2026",
                    "x@y.z;phishing;2026-02-03",
                    ";;",
                    "worker@example.invalid;nope;2026-13-01",
                    '"a;b";"c',
                ]
            ),
            max_size=6,
        ).map(lambda rows: ("E-mail;Kursus;Gennemført\n" + "\n".join(rows)).encode()),
    )
)
def test_it_never_half_imports_whatever_the_file(synced, systemkoordinator, data):
    before = Assignment.objects.done().count()
    try:
        with transaction.atomic():
            result = import_completions(data, actor=systemkoordinator)
            assert Assignment.objects.done().count() == before + result.recorded
            transaction.set_rollback(True)
    except (ImportFailed, ImportRejected):
        assert Assignment.objects.done().count() == before


def test_it_reads_windows_1252_when_the_danish_letters_come_late(synced, systemkoordinator):
    # 100 KB of plain ASCII first (blank lines, which are skipped); the row with Danish
    # letters and a typographic quote is last: the encoding is decided from the whole file.
    data = (
        "Email,Course,Completed,Note\n"
        + "\n" * 100_000
        + "WORKER@Example.invalid,Sådan anmelder du en sikkerhedshændelse,1.3.2026,“Øvet”\n"
    ).encode("cp1252")
    result = import_completions(data, actor=systemkoordinator)
    assert result.recorded == 1
    assert done_keys(synced["worker"].person) == {"report-incident"}
