"""Thank-you note templates and the .eml draft they export to."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tappedin_widgets import notes
from tappedin_widgets.models import NOTE_TONES

PLACEHOLDER = re.compile(r"[{}]|\bNone\b")


def assert_clean(text: str) -> None:
    assert not PLACEHOLDER.search(text), text
    assert "  " not in text, text
    assert " ," not in text and " ." not in text and ".." not in text, text
    for line in text.split("\n"):
        assert line == line.strip(), repr(line)


@pytest.mark.parametrize("tone", NOTE_TONES)
def test_compose_fills_the_names_in_for_every_tone(tone):
    subject, body = notes.compose(tone, recipient_name="Dana Whitfield", role="Product Analyst",
                                  company="Northwind",
                                  specific="the discussion about the pricing experiment",
                                  sender="Sam Rivera")
    assert "Product Analyst" in subject and "Northwind" in subject
    greeting = body.split("\n")[0]
    assert ("Dear Dana Whitfield," if tone == "formal" else "Hi Dana,") == greeting
    for value in ("Product Analyst role at Northwind",
                  "the discussion about the pricing experiment", "Sam Rivera"):
        assert value in body
    assert body.rstrip().endswith("Sam Rivera")
    assert_clean(subject)
    assert_clean(body)


@pytest.mark.parametrize("tone", NOTE_TONES)
def test_compose_says_thank_you_acknowledges_the_decision_and_keeps_the_door_open(tone):
    _, body = notes.compose(tone, recipient_name="Dana", role="Analyst", company="Northwind")
    lowered = body.lower()
    assert "thank" in lowered and "considering me" in lowered
    assert "decision" in lowered or "choose" in lowered
    assert "hear from you" in lowered or "considered again" in lowered


@pytest.mark.parametrize("tone", NOTE_TONES)
@pytest.mark.parametrize("missing", [None, "", "   "])
def test_compose_degrades_gracefully_when_everything_is_missing(tone, missing):
    subject, body = notes.compose(tone, recipient_name=missing, role=missing, company=missing,
                                  specific=missing, sender=missing)
    assert subject.startswith("Thank")
    assert "the role" in body
    assert_clean(subject)
    assert_clean(body)


@pytest.mark.parametrize("tone", NOTE_TONES)
def test_compose_with_only_a_company_or_only_a_role_reads_naturally(tone):
    _, body = notes.compose(tone, recipient_name="Dana", role="", company="Northwind")
    assert "the role at Northwind" in body
    _, body = notes.compose(tone, recipient_name="Dana", role="Analyst", company=None)
    assert "the Analyst role" in body and "at None" not in body
    assert_clean(body)


def test_a_specific_detail_ending_in_a_full_stop_is_not_doubled():
    _, body = notes.compose("formal", recipient_name="Dana", role="Analyst", company="Northwind",
                            specific="  the  pricing experiment.  ")
    assert "I particularly valued the pricing experiment." in body
    assert_clean(body)


def test_a_group_is_greeted_as_a_group():
    _, warm = notes.compose("warm", recipient_name="The hiring panel", role="A", company="B")
    _, formal = notes.compose("formal", recipient_name="the hiring panel", role="A", company="B")
    assert warm.startswith("Hi hiring panel,")
    assert formal.startswith("Dear hiring panel,")


def test_compose_refuses_an_unknown_tone():
    with pytest.raises(ValueError, match="tone"):
        notes.compose("snarky", recipient_name="Dana", role="A", company="B")


_FREE_TEXT = st.text(alphabet=st.characters(blacklist_characters="{}",
                                            blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(tone=st.sampled_from(NOTE_TONES),
       values=st.lists(st.one_of(st.none(), _FREE_TEXT.filter(lambda t: "None" not in t)),
                       min_size=5, max_size=5))
def test_compose_never_leaves_placeholders_or_double_spaces(tone, values):
    name, role, company, specific, sender = values
    subject, body = notes.compose(tone, recipient_name=name, role=role, company=company,
                                  specific=specific, sender=sender)
    for text in (subject, body):
        assert not PLACEHOLDER.search(text), text
        assert "  " not in text


def test_eml_parses_back_with_subject_recipient_and_non_ascii_body():
    subject, body = notes.compose("warm", recipient_name="Zoë Ødegård", role="Analyst",
                                  company="Nørdlys", specific="the talk about Ålesund")
    data = notes.to_eml(subject, body, "Zoë Ødegård", "zoe@example.no", "Sam Rivera",
                        from_email="sam@example.org")
    assert isinstance(data, bytes)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["Subject"] == subject
    (to,) = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë Ødegård", "zoe@example.no")
    assert msg["From"].addresses[0].display_name == "Sam Rivera"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg.get_content().strip() == body
    assert "Hi Zoë," in msg.get_content()
    assert msg["X-Unsent"] == "1"
    assert msg["Message-ID"]


def test_eml_has_a_date_header():
    when = dt.datetime(2026, 3, 25, 9, 30, tzinfo=dt.UTC)
    msg = email.message_from_bytes(notes.to_eml("Thanks", "Hi", "Dana", when=when),
                                   policy=email.policy.default)
    assert msg["Date"].datetime == when
    now = email.message_from_bytes(notes.to_eml("Thanks", "Hi", "Dana"),
                                   policy=email.policy.default)
    assert abs((now["Date"].datetime - dt.datetime.now().astimezone()).total_seconds()) < 60


def test_eml_without_an_address_still_names_the_recipient():
    data = notes.to_eml("Thanks", "Hi Zoë", "Zoë Ødegård")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["To"].groups[0].display_name == "Zoë Ødegård"
    assert msg["From"] is None  # the mail client fills in the sender of a draft
    assert all(b < 128 for b in data.split(b"\n\n", 1)[0])  # headers stay 7-bit


def test_eml_with_an_odd_address_falls_back_to_the_name():
    msg = email.message_from_bytes(notes.to_eml("Thanks", "Hi", "Dana", "not-an-address"),
                                   policy=email.policy.default)
    assert msg["To"].groups[0].display_name == "Dana"


@pytest.mark.parametrize("company, recipient, expected", [
    ("Northwind", "Dana Whitfield", "thank-you-northwind-dana-whitfield.eml"),
    ("Nørd & Co.", "Zoë Ødegård", "thank-you-nord-co-zoe-odegard.eml"),
    ("../../etc/passwd", 'a"b<c>', "thank-you-etc-passwd-a-b-c.eml"),
    (None, "", "thank-you.eml"),
])
def test_eml_filename_is_safe_everywhere(company, recipient, expected):
    assert notes.eml_filename(company, recipient) == expected


def test_eml_filename_stays_short():
    name = notes.eml_filename("x" * 500, "y" * 500)
    assert len(name) < 100 and name.endswith(".eml")


def test_default_reconnect_is_about_three_months_later():
    assert notes.default_reconnect(dt.date(2026, 3, 25)) == dt.date(2026, 6, 24)
    assert notes.default_reconnect() == dt.date.today() + dt.timedelta(days=91)


def test_eml_data_uri_round_trips():
    data = notes.to_eml("Thanks", "Hi Zoë", "Zoë")
    uri = notes.eml_data_uri(data)
    assert uri.startswith("data:message/rfc822;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == data
