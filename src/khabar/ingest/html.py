"""HTML: main text, title and date via trafilatura, as blocks with tag hints for classification."""

from __future__ import annotations

import logging
import re
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


# trafilatura drops ZWJ/ZWNJ (it keeps printable characters only), which the text path keeps where they
# shape Devanagari (after a virama): they are carried through it as two printable letters of the Mende
# Kikakui script (never in Hindi news), so an HTML page and a text file of one article give the same
# clean text.
_JOINERS = {"\u200d": "\U0001e800", "\u200c": "\U0001e801"}
_JOINER_ENTITY = re.compile(r"&(?:zwj|zwnj|#8205|#8204|#x200d|#x200c);", re.IGNORECASE)
_ENTITY_CHAR = {"zwj": "\u200d", "#8205": "\u200d", "#x200d": "\u200d"}
_PROTECT = str.maketrans(_JOINERS)
_RESTORE = str.maketrans({v: k for k, v in _JOINERS.items()})


def protect_joiners(html: str) -> str:
    """ZWJ/ZWNJ (also as HTML entities) replaced by printable stand-ins that trafilatura keeps."""
    html = _JOINER_ENTITY.sub(lambda m: _ENTITY_CHAR.get(m.group(0)[1:-1].lower(), "\u200c"), html)
    return html.translate(_PROTECT)


def restore_joiners(text: str) -> str:
    """The inverse of `protect_joiners` on extracted text."""
    return text.translate(_RESTORE)


def extract_html(html: str, source: str = "input", url: str | None = None) -> HtmlExtract:
    """Extract the main text of an HTML page; raise `InputError` when there is none."""
    import trafilatura

    try:
        xml = _extract_xml(trafilatura, protect_joiners(html), url)
        xml = restore_joiners(xml) if xml else xml
        root = etree.fromstring(xml.encode("utf-8")) if xml else None
    except (ValueError, etree.LxmlError, RecursionError) as exc:
        if not _needs_fallback(html):
            raise InputError(f"{source}: cannot parse the HTML ({' '.join(str(exc).split())})") from None
        root = None
    if root is None:
        if _needs_fallback(html):
            return _fallback_extract(html, source)
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
        if _needs_fallback(html):
            return _fallback_extract(html, source)
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


# libxml2 stops at this depth of nested elements unless told otherwise; trafilatura then sees no text.
LIBXML_MAX_DEPTH = 255
# Its limit with `huge_tree`; deeper markup is read by a plain tag scanner.
LIBXML_HUGE_DEPTH = 2000
# Elements that end a block of text in the fallback reader; h1-h6 give heading hints.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "hr",
        "form",
        "body",
        "html",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "svg",
        "button",
        "select",
    ]
)
_FULL_PAGE = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
_TAG_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>|</[A-Za-z][A-Za-z0-9]*\s*>")
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


def _needs_fallback(html: str) -> bool:
    """Whether trafilatura's answer is not to be trusted for this input: a fragment (no <html> or
    <body>: trafilatura wants a page, and drops short texts), or markup nested deeper than libxml2's
    default limit."""
    return _FULL_PAGE.search(html) is None or _max_depth(html) > LIBXML_MAX_DEPTH


def _max_depth(html: str) -> int:
    """The deepest nesting of elements in the markup, from its tags (void elements do not nest)."""
    depth = deepest = 0
    for m in _TAG_OPEN.finditer(html):
        if m.group(1) is None:
            depth = max(0, depth - 1)
        elif not m.group(2) and m.group(1).lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _fallback_extract(html: str, source: str) -> HtmlExtract:
    """Blocks of a fragment or a deeply nested page read with lxml directly (no depth limit, no
    recursion): text between block-level tags makes a block; scripts and styles are dropped."""
    from lxml import html as lxml_html

    if _max_depth(html) > LIBXML_HUGE_DEPTH:
        return _scan_extract(html, source)
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (ValueError, etree.LxmlError) as exc:
        raise InputError(f"{source}: cannot parse the HTML ({' '.join(str(exc).split())})") from None
    blocks: list[str] = []
    hints: list[str | None] = []
    buffer: list[str] = []
    heading = 0
    skipping = 0
    title: str | None = None

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if text:
            blocks.append(text)
            hints.append("heading" if heading else None)

    for event, elem in etree.iterwalk(root, events=("start", "end")):
        tag = elem.tag.lower() if isinstance(elem.tag, str) else ""
        if event == "start":
            if tag == "title" and title is None:
                title = " ".join((elem.text or "").split()) or None
            if tag in _SKIP_TAGS:
                skipping += 1
            if skipping:
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                heading += 1
            buffer.append(elem.text or "")
        else:
            if tag in _SKIP_TAGS:
                skipping -= 1
            elif not skipping:
                if tag in _BLOCK_TAGS:
                    flush()
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    heading = max(0, heading - 1)
            if not skipping:
                buffer.append(elem.tail or "")
    flush()
    if not blocks:
        raise InputError(f"{source}: no main text found in the HTML")
    return HtmlExtract(blocks=blocks, hints=hints, title=title, published=None)


_SCAN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>|([^<]+|<)", re.DOTALL)


def _scan_extract(html: str, source: str) -> HtmlExtract:
    """Blocks of markup too deep for any parser, by scanning its tags: block tags end a block, the
    contents of scripts and styles are dropped, entities are decoded."""
    import html as html_lib

    blocks: list[str] = []
    hints: list[str | None] = []
    buffer: list[str] = []
    skipping: str | None = None
    heading = False

    def flush() -> None:
        text = " ".join(html_lib.unescape("".join(buffer)).split())
        buffer.clear()
        if text:
            blocks.append(text)
            hints.append("heading" if heading else None)

    for m in _SCAN.finditer(html):
        closing, tag, text = m.group(1), (m.group(2) or "").lower(), m.group(3)
        if skipping:
            if tag == skipping and closing:
                skipping = None
            continue
        if text is not None:
            buffer.append(text)
        elif tag in _SKIP_TAGS and not closing:
            skipping = tag
        elif tag in _BLOCK_TAGS:
            flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                heading = not closing
    flush()
    if not blocks:
        raise InputError(f"{source}: no main text found in the HTML")
    return HtmlExtract(blocks=blocks, hints=hints, title=None, published=None)
