"""HTML: main text, title and date via trafilatura, as blocks with tag hints for classification."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from lxml import etree

from khabar.errors import InputError

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


# htmldate options: metadata (meta tags, JSON-LD, <time>, the URL) only, never a year in the text.
DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    """Blocks of the main text, a parallel list of hints (`heading` or None), title and date."""

    blocks: list[str]
    hints: list[str | None]
    title: str | None
    published: date | None


def extract_html(html: str, source: str = "input", url: str | None = None) -> HtmlExtract:
    """Extract the main text of an HTML page; raise `InputError` when there is none."""
    import trafilatura

    try:
        xml = _extract_xml(trafilatura, html, url)
        root = etree.fromstring(xml.encode("utf-8")) if xml else None
    except (ValueError, etree.LxmlError) as exc:
        raise InputError(f"{source}: cannot parse the HTML ({' '.join(str(exc).split())})") from None
    if root is None:
        raise InputError(f"{source}: no main text found in the HTML")
    blocks: list[str] = []
    hints: list[str | None] = []
    main = root.find("main")
    for elem in main.iter() if main is not None else ():
        tag = elem.tag
        if tag in ("p", "head", "item", "quote", "row") or (tag == "cell" and elem.getparent().tag != "row"):
            text = " ".join("".join(elem.itertext()).split())
            if not text:
                continue
            # Nested elements are read through their parent: skip children of an element we took.
            if any(anc.tag in ("p", "head", "item", "quote", "row") for anc in elem.iterancestors()):
                continue
            blocks.append(text)
            hints.append("heading" if tag == "head" else None)
    if not blocks:
        raise InputError(f"{source}: no main text found in the HTML")
    title = root.get("title") or None
    published: date | None = None
    if root.get("date"):
        try:
            published = date.fromisoformat(root.get("date", "")[:10])
        except ValueError:
            published = None
    return HtmlExtract(blocks=blocks, hints=hints, title=title, published=published)


def _extract_xml(trafilatura: Any, html: str, url: str | None) -> str | None:
    """trafilatura's XML output: main text with headings, and metadata (title, date) as attributes."""
    result: str | None = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_formatting=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        favor_recall=True,
        deduplicate=False,
        # the date only from the page's metadata and URL: htmldate's extensive search reads years in
        # the body text ("2004 में भी बाढ़ आई थी") and gives them as the publication date (2004-01-01)
        date_extraction_params=DATE_PARAMS,
    )
    return result
