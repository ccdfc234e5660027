"""`manage.py verify_timeline`: every chain verified, the first broken link named."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection

from beredskab import timeline
from beredskab.models import Supplier, TimelineEvent
from beredskab.tasks import export_timeline_heads

TABLE = "beredskab_timelineevent"
TRIGGER = "beredskab_timeline_append_only"


@pytest.fixture
def chains(db):
    """Two subjects: one with four events, one with one."""
    kmd, netcompany = (Supplier.objects.create(name=n) for n in ("KMD", "Netcompany"))
    for n in range(4):
        timeline.record(kmd, "supplier.updated", data={"n": n, "note": "æøå"})
    timeline.record(netcompany, "supplier.created")
    return kmd, netcompany


def behind_its_back(sql: str, params: list) -> None:
    """Change the table as a database admin would: on PostgreSQL the append-only
    trigger has to be switched off first (we run as the superuser)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        assert cursor.rowcount == 1
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def event(subject, seq) -> TimelineEvent:
    return timeline.events_for(subject).get(seq=seq)


def verify(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_timeline", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_broken(*args) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_timeline", *args, stdout=StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


def test_it_verifies_clean_chains(chains):
    out, err = verify()
    assert out.strip() == "OK: 2 chains, 5 events"
    assert err == ""


def test_it_verifies_an_empty_timeline(db):
    assert verify()[0].strip() == "OK: 0 chains, 0 events"


def test_it_detects_a_row_changed_behind_its_back(chains):
    kmd, _ = chains
    target = event(kmd, 3)
    behind_its_back(
        f"UPDATE {TABLE} SET data = %s WHERE id = %s", [json.dumps({"n": 99}), target.pk]
    )
    message, err = verify_broken()
    assert f"beredskab.supplier#{kmd.pk} seq 3: hash does not match" in err
    assert err.count("BROKEN") == 1
    assert "1 broken link(s) in 2 chains, 5 events" in message


def test_it_detects_a_changed_row_whose_hash_was_recomputed(chains):
    kmd, _ = chains
    target = event(kmd, 2)
    target.kind = "supplier.forged"
    behind_its_back(
        f"UPDATE {TABLE} SET kind = %s, hash = %s WHERE id = %s",
        [target.kind, target.compute_hash(), target.pk],
    )
    _, err = verify_broken()
    assert f"#{kmd.pk} seq 3: previous hash does not match" in err


def test_it_detects_a_deleted_middle_event(chains):
    kmd, _ = chains
    behind_its_back(f"DELETE FROM {TABLE} WHERE id = %s", [event(kmd, 2).pk])
    message, err = verify_broken()
    assert f"beredskab.supplier#{kmd.pk} seq 3: sequence gap: expected seq 2, found 3" in err
    assert "2 chains, 4 events" in message


def test_it_detects_a_deleted_first_event(chains):
    _, netcompany = chains
    timeline.record(netcompany, "supplier.updated")
    behind_its_back(f"DELETE FROM {TABLE} WHERE id = %s", [event(netcompany, 1).pk])
    _, err = verify_broken()
    assert f"#{netcompany.pk} seq 2: sequence gap: expected seq 1, found 2" in err


def test_it_names_the_first_broken_link_of_each_broken_chain(chains):
    kmd, netcompany = chains
    for subject, seq in [(kmd, 2), (kmd, 4), (netcompany, 1)]:
        behind_its_back(
            f"UPDATE {TABLE} SET actor_text = 'x' WHERE id = %s", [event(subject, seq).pk]
        )
    _, err = verify_broken()
    assert err.count("BROKEN") == 2
    assert f"#{kmd.pk} seq 2:" in err and f"#{netcompany.pk} seq 1:" in err


def test_it_exits_non_zero_on_a_broken_chain(chains, capsys):
    kmd, _ = chains
    behind_its_back(f"UPDATE {TABLE} SET actor_text = 'x' WHERE id = %s", [event(kmd, 1).pk])
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_timeline"]).execute()
    assert exited.value.code == 1
    assert "seq 1: hash does not match" in capsys.readouterr().err


def test_it_catches_a_rewritten_tail_with_the_exported_heads(chains, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    export_timeline_heads()
    (heads_file,) = (tmp_path / "timeline-heads").glob("heads-*.json")
    assert verify("--heads", str(heads_file))[0].splitlines() == [
        "OK: 2 chains, 5 events",
        "OK: 2 exported heads match",
    ]
    kmd, netcompany = chains
    # A rewritten last event with a recomputed hash: the chain itself still verifies...
    last = event(kmd, 4)
    last.data = {"n": 3, "note": "rewritten"}
    last.seal()  # new salt, digest and hash: consistent in itself
    behind_its_back(
        f"UPDATE {TABLE} SET data = %s, content_salt = %s, content_digest = %s, hash = %s"
        " WHERE id = %s",
        [json.dumps(last.data), last.content_salt, last.content_digest, last.hash, last.pk],
    )
    # ...and the other chain cut short.
    behind_its_back(f"DELETE FROM {TABLE} WHERE id = %s", [event(netcompany, 1).pk])
    assert verify()[0].strip() == "OK: 1 chains, 4 events"
    _, err = verify_broken("--heads", str(heads_file))
    assert f"#{kmd.pk} seq 4: the hash differs from the exported head" in err
    assert f"#{netcompany.pk} seq 1: the exported head is missing" in err


def test_it_refuses_an_unreadable_heads_file(db, tmp_path):
    message, _ = verify_broken("--heads", str(tmp_path / "missing.json"))
    assert "cannot read the heads file" in message
