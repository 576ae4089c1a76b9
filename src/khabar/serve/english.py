"""The English view of the pages: every name, role and label written in both languages, one of them
shown (the toggle in the header, remembered by the browser), the other on hover.

`bi(hindi, english)` is the one way a template writes a name: `<span class="bi">` holding a Hindi
and an English part; the stylesheet shows one of them according to the `view-en` class on `<html>`
that `static/view.js` sets. Roles are glossed from `lang/hi/role_glosses.tsv`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from markupsafe import Markup

from khabar.lang.hi import read_table

WIKIDATA_URL = "https://www.wikidata.org/wiki/"
# English names of the event modalities and entity types as the pages show them.
TYPE_EN = {"PERSON": "person", "LOCATION": "place", "ORGANIZATION": "organisation"}


@cache
def _role_glosses() -> dict[str, str]:
    return {row[0]: row[1] for row in read_table("role_glosses.tsv") if len(row) >= 2}


def role_en(role: str) -> str:
    """The English gloss of a Hindi role or title (the role itself when it has none)."""
    return _role_glosses().get(role.strip(), role)


def bi(hindi: Any, english: Any = None) -> Markup:
    """A name in both languages: Hindi shown in the Hindi view, English in the English view, the
    other one on hover. With no English (or the same text) it is the Hindi alone."""
    hi = str(hindi or "")
    en = str(english or "")
    if not en or en == hi:
        return Markup('<span lang="hi">{}</span>').format(hi or en)
    if not hi:
        return Markup('<span lang="en">{}</span>').format(en)
    return Markup(
        '<span class="bi"><span class="l-hi" lang="hi" title="{en}">{hi}</span>'
        '<span class="l-en" lang="en" title="{hi}">{en}</span></span>'
    ).format(hi=hi, en=en)


def roles(values: Iterable[str]) -> Markup:
    """A comma-separated list of roles, each glossed in English."""
    return Markup(", ").join(bi(r, role_en(r)) for r in values)


def wikidata_link(qid: Any) -> Markup:
    """A link to the Wikidata item (empty for none)."""
    if not qid:
        return Markup("")
    return Markup('<a class="wd" href="{}{}" rel="external noopener" title="Wikidata">{}</a>').format(
        WIKIDATA_URL, qid, qid
    )
