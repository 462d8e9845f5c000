"""Thank-you notes: templates in three tones, and rendering as an .eml draft.

Pure functions, no widgets and no I/O:

    subject, body = compose("warm", recipient_name="Dana Whitfield",
                            role="Product Analyst", company="Northwind",
                            specific="the discussion about the pricing experiment")
    data = to_eml(subject, body, "Dana Whitfield", "dana@northwind.example")
    name = eml_filename("Northwind", "Dana Whitfield")   # thank-you-northwind-dana-whitfield.eml

Every template says the same four things, in its own register: thank you for
considering me; I know choosing is hard; one specific thing from the process;
the door stays open (the person hired may not work out or may not stay, and a
kind last impression can make you the next call).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import unicodedata
from email.headerregistry import Address, Group
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from .models import NOTE_TONES

#: Days from sending the note to the suggested reconnect: about three months.
RECONNECT_DAYS = 91

TONE_LABELS = {
    "warm": "Warm: personal and friendly",
    "brief": "Brief: three short lines",
    "formal": "Formal: polite and reserved",
}

_SIGN_OFFS = {"warm": "All the best,", "brief": "Thanks again,", "formal": "Kind regards,"}


def _clean(value: str | None) -> str:
    """One line of user text: whitespace collapsed, None and blanks become ''."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _specific(value: str | None) -> str:
    # "the pricing experiment." reads badly inside our own sentence
    return _clean(value).rstrip(" .!;,")


def _addressee(name: str) -> str:
    """'The hiring team' is greeted as 'hiring team', never as 'The'."""
    if name.lower().startswith("the ") and len(name) > 4:
        return name[4:]
    return name


def _first_name(name: str) -> str:
    addressee = _addressee(name)
    if addressee != name:  # a group, not a person: keep every word
        return addressee
    return name.split(" ")[0] if name else ""


def _the_role(role: str, company: str) -> str:
    """'the Product Analyst role at Northwind', degrading to 'the role'."""
    phrase = f"the {role} role" if role else "the role"
    return f"{phrase} at {company}" if company else phrase


def _subject(tone: str, role: str, company: str) -> str:
    context = " at ".join(p for p in (role, company) if p)
    lead = {"warm": "Thank you", "brief": "Thanks",
            "formal": "Thank you for your consideration"}[tone]
    return f"{lead} — {context}" if context else lead


def _warm(name: str, role: str, company: str, specific: str) -> list[str]:
    greeting = f"Hi {_first_name(name)}," if name else "Hi,"
    there = company or "your team"
    paragraphs = [
        greeting,
        f"Thank you for considering me for {_the_role(role, company)}, and for all the time "
        "you gave me along the way. I know how hard it is to choose between people, and I "
        "appreciated how openly the process was run.",
    ]
    if specific:
        paragraphs.append(f"I especially enjoyed {specific}; it has stayed with me since.")
    paragraphs.append(
        f"I'm still very keen on {there}. If anything changes, or another role comes up "
        "where I could help, I'd be glad to hear from you. I hope we stay in touch.")
    return paragraphs


def _brief(name: str, role: str, company: str, specific: str) -> list[str]:
    greeting = f"Hi {_first_name(name)}," if name else "Hi,"
    thanks = (f"Thanks for considering me for {_the_role(role, company)}, and for your time. "
              "I know it wasn't an easy decision.")
    if specific:
        thanks += f" I really enjoyed {specific}."
    return [
        greeting,
        thanks,
        "If anything changes or a similar role opens up, I'd love to hear from you.",
    ]


def _formal(name: str, role: str, company: str, specific: str) -> list[str]:
    greeting = f"Dear {_addressee(name)}," if name else "Dear hiring team,"
    there = company or "your organisation"
    paragraphs = [
        greeting,
        f"Thank you for considering me for {_the_role(role, company)} and for the time you "
        "invested in the process. I appreciate that hiring decisions are difficult, and I "
        "respect the outcome.",
    ]
    if specific:
        paragraphs.append(f"I particularly valued {specific}.")
    paragraphs.append(
        f"I remain very interested in {there}. Should circumstances change, or a suitable "
        "position become available, I would welcome the opportunity to be considered again.")
    return paragraphs


_BODIES = {"warm": _warm, "brief": _brief, "formal": _formal}


def compose(tone: str, *, recipient_name: str | None, role: str | None,
            company: str | None, specific: str | None = "",
            sender: str | None = "") -> tuple[str, str]:
    """The subject and body of a thank-you note in one of :data:`NOTE_TONES`.

    Missing values are left out gracefully ("Hi,", "the role"); the text never
    holds a placeholder or a double space.
    """
    if tone not in NOTE_TONES:
        raise ValueError(f"tone must be one of {', '.join(NOTE_TONES)}, not {tone!r}")
    name, role_, company_ = _clean(recipient_name), _clean(role), _clean(company)
    paragraphs = _BODIES[tone](name, role_, company_, _specific(specific))
    sign_off = _SIGN_OFFS[tone]
    signed = _clean(sender)
    paragraphs.append(f"{sign_off}\n{signed}" if signed else sign_off)
    return _subject(tone, role_, company_), "\n\n".join(paragraphs)


def default_reconnect(sent_on: dt.date | None = None) -> dt.date:
    """When to get back in touch: about three months after the note was sent."""
    return (sent_on or dt.date.today()) + dt.timedelta(days=RECONNECT_DAYS)


def _address(name: str, email: str) -> Address | None:
    user, at, domain = email.rpartition("@")
    if not (at and user and domain):
        return None
    try:
        return Address(display_name=name, username=user, domain=domain)
    except (ValueError, IndexError):  # the email package rejects some odd addresses
        return None


def to_eml(subject: str, body: str, to_name: str | None, to_email: str | None = None,
           from_name: str | None = None, *, from_email: str | None = None,
           when: dt.datetime | None = None) -> bytes:
    """An unsent email draft (RFC 5322, UTF-8) that opens in a mail client.

    Without ``to_email`` the recipient is written as an empty group named after
    them (``To: Dana Whitfield:;``), valid and easy to complete. A From header is
    written only when ``from_email`` is known (``from_name`` is its display
    name): the mail client fills in the sender of a draft.
    """
    msg = EmailMessage()
    msg["Subject"] = _clean(subject)
    name = _clean(to_name)
    to = _address(name, _clean(to_email))
    if to is not None:
        msg["To"] = to
    elif name:
        msg["To"] = Group(display_name=name)
    sender = _address(_clean(from_name), _clean(from_email))
    if sender is not None:
        msg["From"] = sender
    stamp = when or dt.datetime.now().astimezone()
    if stamp.tzinfo is None:
        stamp = stamp.astimezone()
    msg["Date"] = format_datetime(stamp)
    msg["Message-ID"] = make_msgid(domain="tappedin.invalid")
    # Outlook and others open a message marked unsent as an editable draft.
    msg["X-Unsent"] = "1"
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    msg.set_content(text if text.endswith("\n") else text + "\n", charset="utf-8")
    return bytes(msg)


# Letters that don't decompose into ASCII under NFKD.
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l",
                        "Ł": "L", "đ": "d", "Đ": "D", "œ": "oe", "Œ": "OE", "þ": "th",
                        "Þ": "Th", "ð": "d", "Ð": "D"})


def eml_filename(company: str | None, recipient: str | None) -> str:
    """A file name that is safe everywhere: thank-you-<company>-<recipient>.eml."""
    parts = []
    for value in (company, recipient):
        text = unicodedata.normalize("NFKD", _clean(value).translate(_ASCII))
        text = text.encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        if slug:
            parts.append(slug[:40].strip("-"))
    return "-".join(["thank-you", *parts]) + ".eml"


def eml_data_uri(data: bytes) -> str:
    """A data: URI holding an .eml file, for a download link that needs no JavaScript."""
    return "data:message/rfc822;base64," + base64.b64encode(data).decode("ascii")


def plain_text(subject: str, body: str) -> str:
    """The note as plain text to copy into any mail program."""
    return f"Subject: {_clean(subject)}\n\n{body}"
