#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""realcopies.py - generator of realistic near-duplicate Hindi news corpora.

It takes base stories ({"id", "title", "paragraphs"}) and publishes each one
as a *copy group*: the original on one (fictional) site plus 0..n copies made
the way Indian Hindi news copy is really republished -- agency wire copy
reprinted by other papers with their own headline and dateline, re-runs with a
new headline and lead, truncated reprints, retyped / font-converted copies,
HTML pages, scraped text carrying site boilerplate, paragraph re-flow and small
copy-desk edits.  It also emits *hard negatives*: next-day follow-ups that reuse
background paragraphs, independent rewrites of the same event by another paper
and templated daily reports (weather, mandi, fuel, gold, stocks, trains, AQI).
Every follow-up, rewrite and daily report is its own story (own gold group).

Library:   docs = generate(stories, seed, n_copies_range=(1, 4), ...)
CLI:       python realcopies.py --out DIR --seed N [--base DIR ...] [--max-stories K]

Standard library only.  The same seed and inputs give byte-identical output.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import html
import importlib.util
import json
import math
import os
import random
import re
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BASE = os.path.join(HERE, "base")

MONTHS_HI = ["जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त",
             "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS_HI = ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"]

ROLE_LABELS = {"base": "original", "followup": "followup", "rewrite": "rewrite", "daily": "daily"}

# weights for the number of documents in a copy group (1 = singleton)
GROUP_SIZE_WEIGHTS = {1: 0.45, 2: 0.25, 3: 0.13, 4: 0.08, 5: 0.05, 6: 0.04}


# =========================================================================== data
@dataclass
class Doc:
    """One output document.  `story` is the gold copy-group id."""
    file: str
    content: str
    story: str
    kind: str
    base: str
    site: str = ""
    role: str = ""
    title: str = ""
    paragraphs: list = field(default_factory=list)   # final body paragraphs (for checks)

    def gold(self) -> dict:
        return {"file": self.file, "story": self.story, "kind": self.kind, "base": self.base}


@dataclass
class Article:
    """A story as one site publishes it, before rendering to TXT or HTML."""
    story_id: str
    role: str
    base: str
    title: str
    paras: list
    site: dict
    when: dt.datetime
    meta: dict
    agency: str | None = None
    kinds: list = field(default_factory=list)
    reporter: tuple = ("", "")
    dateline: str = ""
    dateline_line: bool = False
    byline: str = ""
    tail: str = ""              # truncation ending appended to the cut text ("... पूरी खबर पढ़ें")
    credit: str = ""            # "साभार: ..." line of syndicated copy
    # render settings (stage 5)
    fmt: str = "txt"
    top_pre: list = field(default_factory=list)
    top_post: list = field(default_factory=list)
    mid: list = field(default_factory=list)     # (after_paragraph_index, line)
    bottom: list = field(default_factory=list)
    glue: str | None = None
    sep: str = "\n\n"
    eol: str = "\n"
    indent: str = ""
    wrap: int = 0
    trailing_ws: bool = False
    oneline: bool = False
    render_kinds: list = field(default_factory=list)


# =========================================================================== loading
def _load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_banks(base_dir: str = DEFAULT_BASE):
    """Load site/lead/teaser banks (banks.py) and daily-report templates
    (daily_templates.py) from `base_dir`; returns the banks module with
    FAMILIES attached."""
    banks = _load_module(os.path.join(base_dir, "banks.py"), "dedupgen_banks")
    daily = _load_module(os.path.join(base_dir, "daily_templates.py"), "dedupgen_daily")
    banks.FAMILIES = daily.FAMILIES
    return banks


def parse_story_text(text: str) -> tuple[str, list]:
    """Headline on the first line, blank line, paragraphs separated by blank lines."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    first, _, rest = text.partition("\n")
    paras = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", rest) if p.strip()]
    return first.strip(), paras


_ROLE_RE = re.compile(r"^(.*)_(followup|rewrite)$")


def load_base(dirs) -> list[dict]:
    """Read base stories from one or more directories.

    A directory may hold NNN.txt (base story), NNN_followup.txt, NNN_rewrite.txt,
    *.jsonl files with {"id","title","text"} records (same id convention) and an
    optional alternates.tsv (id<TAB>H|L|C<TAB>text: extra headline, re-run lead,
    dateline city).  Ids colliding with an earlier directory get a "dir:" prefix.
    """
    if isinstance(dirs, str):
        dirs = [dirs]
    out, seen = [], set()
    for d in dirs:
        local = []
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.endswith(".txt") and os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    title, paras = parse_story_text(f.read())
                if title and paras:
                    local.append({"id": name[:-4], "title": title, "paragraphs": paras})
            elif name.endswith(".jsonl") and os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        line = line.strip()
                        if not line:
                            continue
                        rec = json.loads(line)
                        paras = rec.get("paragraphs") or [" ".join(p.split()) for p in
                                                          re.split(r"\n[ \t]*\n", rec.get("text", "")) if p.strip()]
                        if rec.get("title") and paras:
                            st = {"id": str(rec["id"]), "title": rec["title"].strip(), "paragraphs": paras}
                            for k in ("alt_titles", "alt_leads", "city", "role", "of"):
                                if k in rec:
                                    st[k] = rec[k]
                            local.append(st)
        alts = {}
        ap = os.path.join(d, "alternates.tsv")
        if os.path.isfile(ap):
            with open(ap, encoding="utf-8") as f:
                for line in f:
                    if line.startswith("#") or not line.strip():
                        continue
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) == 3:
                        alts.setdefault(parts[0], []).append((parts[1], parts[2]))
        rename = {}
        for st in local:
            sid = st["id"]
            new = sid if sid not in seen else f"{os.path.basename(os.path.normpath(d))}:{sid}"
            rename[sid] = new
            seen.add(new)
        for st in local:
            sid = st["id"]
            m = _ROLE_RE.match(sid)
            if "role" not in st and m:
                st["role"], st["of"] = m.group(2), m.group(1)
            if st.get("of") is not None:
                st["of"] = rename.get(st["of"], st["of"])
            for typ, txt in alts.get(sid, []):
                key = {"H": "alt_titles", "L": "alt_leads", "C": "city"}.get(typ)
                if key == "city":
                    st["city"] = txt
                elif key:
                    st.setdefault(key, []).append(txt)
            st["id"] = rename[sid]
            out.append(st)
    return out


# =========================================================================== helpers
def _rng(seed, *parts) -> random.Random:
    return random.Random("|".join([str(seed)] + [str(p) for p in parts]))


def _wchoice(rng, weights: dict):
    keys = list(weights)
    tot = sum(weights[k] for k in keys)
    x = rng.random() * tot
    for k in keys:
        x -= weights[k]
        if x < 0:
            return k
    return keys[-1]


def _sentences(p: str) -> list:
    return [s for s in re.split(r"(?<=[।?!|])\s+", p.strip()) if s]


def _words(text: str) -> list:
    return text.split()


def _find_word(text, word):
    """Position of `word` as a whole Devanagari word (hyphen/space delimited), or -1."""
    m = re.search(r"(?<![\u0900-\u097F])" + re.escape(word) + r"(?![\u0900-\u097F])", text)
    return m.start() if m else -1


def story_meta(story: dict, banks) -> dict:
    """Dateline city, state, section and tags guessed from the story text."""
    lead = story["paragraphs"][0] if story["paragraphs"] else ""
    head = story["title"] + " " + lead
    full = head + " " + " ".join(story["paragraphs"][1:])
    city = story.get("city")
    if not city:
        best = None
        for scope in (head, full):
            for name in banks.CITIES:
                i = _find_word(scope, name)
                if i >= 0 and (best is None or i < best[0] or (i == best[0] and len(name) > len(best[1]))):
                    best = (i, name)
            if best is None:
                for st, cap in banks.STATE_CAPITALS.items():
                    i = _find_word(scope, st)
                    if i >= 0 and (best is None or i < best[0]):
                        best = (i, cap)
            if best:
                break
        city = best[1] if best else "नई दिल्ली"
    if city == "दिल्ली":
        city = "नई दिल्ली"
    state, city_en = banks.CITIES.get(city, ("दिल्ली", "New Delhi"))
    section = None
    for scope in (story["title"], lead):
        for key, kws in banks.SECTION_KEYWORDS:
            if any(_find_word(scope, k) >= 0 for k in kws):
                section = key
                break
        if section:
            break
    if section is None:
        section = "nation" if state == "दिल्ली" else "state"
    stop = {"में", "के", "की", "का", "से", "को", "पर", "और", "ने", "हुआ", "लिए", "बाद", "तक"}
    words = [w.strip(":,;'\"‘’“”()-|") for w in story["title"].split()]
    words = [w for w in words if len(w) >= 4 and w not in stop and not re.search(r"\d", w)]
    words = [w for w in sorted(set(words), key=lambda w: (-len(w), w)) if city not in w][:3]
    state_en = {"उत्तर प्रदेश": "Uttar Pradesh", "बिहार": "Bihar", "झारखंड": "Jharkhand",
                "राजस्थान": "Rajasthan", "मध्य प्रदेश": "Madhya Pradesh", "उत्तराखंड": "Uttarakhand",
                "पंजाब": "Punjab", "हरियाणा": "Haryana", "महाराष्ट्र": "Maharashtra",
                "दिल्ली": "Delhi", "नेपाल": "Nepal"}.get(state, "India")
    return {"city": city, "state": state, "city_en": city_en, "state_en": state_en,
            "section": section, "tags": [city] + words}


def align_weekday(when: dt.datetime, story: dict, rng) -> dt.datetime:
    """Move `when` forward (0-6 days) so that the publication day matches the
    first weekday named in the headline/lead (same day, or the next morning)."""
    text = story["title"] + " " + " ".join(story["paragraphs"][:2])
    best = None
    for i, name in enumerate(WEEKDAYS_HI):
        j = _find_word(text, name)
        if j >= 0 and (best is None or j < best[0]):
            best = (j, i)
    if best is None:
        return when
    target = (best[1] + (1 if rng.random() < 0.6 else 0)) % 7
    return when + dt.timedelta(days=(target - when.weekday()) % 7)


def _date_fields(when: dt.datetime, later: dt.datetime | None = None, words: int = 300) -> dict:
    later = later or when
    h12 = when.hour % 12 or 12
    return {"d": when.day, "D": f"{when.day:02d}", "dd": f"{when.day:02d}", "mm": f"{when.month:02d}",
            "mon": MONTHS_HI[when.month - 1], "Mon": MONTHS_EN[when.month - 1], "Y": when.year,
            "hh": f"{h12:02d}", "mi": f"{when.minute:02d}", "AP": "AM" if when.hour < 12 else "PM",
            "HH": f"{when.hour:02d}", "HH2": f"{later.hour:02d}", "mi2": f"{later.minute:02d}",
            "dd2": f"{later.day:02d}", "mm2": f"{later.month:02d}", "Y2": later.year,
            "weekday": WEEKDAYS_HI[when.weekday()], "reading": max(1, math.ceil(words / 200))}


class _SafeDict(dict):
    def __missing__(self, key):
        return ""


def _fmt(template: str, **kw) -> str:
    return template.format_map(_SafeDict(kw))


# =========================================================================== context
class Ctx:
    def __init__(self, banks, seed, opts):
        self.banks = banks
        self.seed = seed
        self.opts = opts
        self.sites = banks.SITES
        self.site_by_id = {s["id"]: s for s in banks.SITES}
        self.origin_site = {}     # story id -> site id of its first publication
        self.sites_used = {}      # story id -> set of site ids
        self.dates = {}           # story id -> datetime
        self.titles = []          # all headlines (for teaser / next-story lines)

    def rng(self, *parts):
        return _rng(self.seed, *parts)


def _draw_group_size(rng, role, lo, hi):
    if role == "base":
        w = {k: v for k, v in GROUP_SIZE_WEIGHTS.items() if lo <= k <= hi}
        for k in range(max(lo, 1), hi + 1):
            w.setdefault(k, 0.02)
        return _wchoice(rng, w)
    # follow-ups, rewrites, daily reports: mostly singletons, sometimes picked up once
    p = {"followup": 0.3, "rewrite": 0.25, "daily": 0.25}.get(role, 0.3)
    return min(hi, 2) if rng.random() < p else 1


# =========================================================================== variant kinds
# Stage 1: who publishes (site, headline, agency credit)

def v_wire(a: Article, rng, ctx, group):
    """Wire copy (PTI/भाषा, IANS, UNI/वार्ता, 'एजेंसी') reprinted by another paper:
    same agency body, but that paper's own headline, its dateline style with the
    agency credit in its own spelling, its byline and site template."""
    a.site = _pick_new_site(rng, ctx, group)
    a.title = _new_headline(a, rng, ctx, group)
    a.when = a.when + dt.timedelta(minutes=rng.randint(5, 400))
    a.kinds.append("wire")


def v_syndicate(a: Article, rng, ctx, group):
    """Non-agency story picked up by a partner paper or aggregator portal
    (group papers share copy; portals repost): another site's template, headline
    kept or lightly repackaged, sometimes a 'साभार' credit line."""
    a.site = _pick_new_site(rng, ctx, group)
    if rng.random() < 0.5:
        a.title = _new_headline(a, rng, ctx, group)
    if rng.random() < 0.3:
        origin = ctx.site_by_id[ctx.origin_site[a.story_id]]
        a.credit = rng.choice(["साभार: {n}", "(साभार: {n})", "Source: {n}", "({n} से साभार)"]).format(n=origin["name"])
    a.when = a.when + dt.timedelta(minutes=rng.randint(30, 1500))
    a.kinds.append("syndicate")


def v_rerun(a: Article, rng, ctx, group):
    """Same paper re-runs the story a day or two later (or updates it) with a new
    headline and a new lead paragraph over the old body: the lead is replaced,
    a new intro paragraph is put on top, or the intro sentence is swapped."""
    a.site = ctx.site_by_id[ctx.origin_site[a.story_id]]
    a.title = _new_headline(a, rng, ctx, group)
    lead = _new_lead(a, rng, ctx)
    mode = rng.choice(["replace", "prepend", "merge"]) if len(a.paras) >= 3 else "prepend"
    if mode == "replace":
        a.paras = [lead] + a.paras[1:]
    elif mode == "prepend":
        a.paras = [lead] + a.paras
    else:
        sents = _sentences(a.paras[0])
        a.paras = [" ".join([lead] + sents[1:])] + a.paras[1:]
    a.when = a.when + dt.timedelta(days=rng.randint(0, 2), hours=rng.randint(2, 20))
    a.kinds.append("rerun")


# Stage 2: content edits

def v_truncate(a: Article, rng, ctx, group):
    """Truncated reprint: only the first 1-3 paragraphs, or a cut in the middle
    of a paragraph, often ending in '...' plus a 'पूरी खबर पढ़ें' / 'Read More'
    style link text (teaser pages, aggregators, e-paper jumps)."""
    n = len(a.paras)
    if n >= 3 and rng.random() < 0.6:
        keep = rng.randint(1, min(3, n - 1))
        if keep == 1 and len(_words(a.paras[0])) < 30:
            keep = 2
        a.paras = a.paras[:keep]
        ell = rng.choice(["", "", "...", "…"])
    else:
        keep = rng.randint(0, max(0, min(2, n - 2))) if n >= 2 else 0
        cut_para = a.paras[keep]
        ws = _words(cut_para)
        cut = max(6, int(len(ws) * rng.uniform(0.35, 0.75)))
        a.paras = a.paras[:keep] + [" ".join(ws[:cut])]
        ell = rng.choice(["...", "…", " ...", ".."])
    readmore = rng.choice(a.site["readmore"]) if rng.random() < 0.7 else ""
    tail = ell
    if readmore:
        tail += rng.choice([" ", " ", "\n", "\n\n"]) + readmore if ell else rng.choice([" ", "\n\n"]) + readmore
    a.tail = tail
    a.kinds.append("truncate")


def v_edit(a: Article, rng, ctx, group):
    """Small copy-desk edits: one sentence dropped, a stock sentence added
    ('मामले की जांच जारी है।'), or a word swapped for a synonym
    (के मुताबिक/के अनुसार, करीब/लगभग)."""
    ops = rng.sample(["drop", "add", "syn"], rng.randint(1, 2))
    done = 0
    for op in ops:
        if op == "drop":
            cands = [i for i, p in enumerate(a.paras) if i > 0 and len(_sentences(p)) >= 2]
            if cands:
                i = rng.choice(cands)
                s = _sentences(a.paras[i])
                del s[rng.randrange(len(s))]
                a.paras[i] = " ".join(s)
                done += 1
        elif op == "add":
            i = rng.randrange(len(a.paras))
            a.paras[i] = a.paras[i].rstrip() + " " + rng.choice(ctx.banks.EDIT_SENTENCES)
            done += 1
        else:
            pairs = [(x, y) for x, y in ctx.banks.SYNONYMS if any(x in p for p in a.paras)]
            for x, y in rng.sample(pairs, min(len(pairs), rng.randint(1, 2))):
                idx = [i for i, p in enumerate(a.paras) if x in p]
                i = rng.choice(idx)
                a.paras[i] = a.paras[i].replace(x, y, 1)
                done += 1
    if not done:
        i = rng.randrange(len(a.paras))
        a.paras[i] = a.paras[i].rstrip() + " " + rng.choice(ctx.banks.EDIT_SENTENCES)
    a.kinds.append("edit")


def v_paragraphs(a: Article, rng, ctx, group):
    """Paragraphs split or merged: a desk (or a CMS import) breaks a long
    paragraph at a sentence boundary or joins two short ones."""
    done = 0
    for _ in range(rng.randint(1, 2)):
        if rng.random() < 0.5 or len(a.paras) < 2:
            cands = [i for i, p in enumerate(a.paras) if len(_sentences(p)) >= 2]
            if cands:
                i = rng.choice(cands)
                s = _sentences(a.paras[i])
                cut = rng.randint(1, len(s) - 1)
                a.paras[i:i + 1] = [" ".join(s[:cut]), " ".join(s[cut:])]
                done += 1
                continue
        if len(a.paras) >= 2:
            i = rng.randrange(len(a.paras) - 1)
            a.paras[i:i + 2] = [a.paras[i] + " " + a.paras[i + 1]]
            done += 1
    if not done:
        return
    a.kinds.append("paragraphs")


# Stage 4: typing / font conversion

VIRAMA, NUKTA, ZWJ, ZWNJ = "\u094d", "\u093c", "\u200d", "\u200c"
PRECOMP = {"\u0958": "क", "\u0959": "ख", "\u095a": "ग", "\u095b": "ज", "\u095c": "ड",
           "\u095d": "ढ", "\u095e": "फ", "\u095f": "य"}
TO_PRECOMP = {v + NUKTA: k for k, v in PRECOMP.items()}
DROP_OK = set("कखगजफ")
NUKTA_STEMS = [
    ("ज्याद", "ज़्याद"), ("फैसल", "फ़ैसल"), ("जरूर", "ज़रूर"), ("खिलाफ", "ख़िलाफ़"), ("बाजार", "बाज़ार"),
    ("सफर", "सफ़र"), ("कानून", "क़ानून"), ("तारीख", "तारीख़"), ("खबर", "ख़बर"), ("फिलहाल", "फ़िलहाल"),
    ("जिल", "ज़िल"), ("मजदूर", "मज़दूर"), ("साफ", "साफ़"), ("दफ्तर", "दफ़्तर"), ("अफसर", "अफ़सर"),
    ("हफ्त", "हफ़्त"), ("रफ्तार", "रफ़्तार"), ("जमीन", "ज़मीन"), ("तेज", "तेज़"), ("कमजोर", "कमज़ोर"),
    ("जोरदार", "ज़ोरदार"), ("नजर", "नज़र"), ("जिम्मेदार", "ज़िम्मेदार"), ("जिंदगी", "ज़िंदगी"),
    ("आवाज", "आवाज़"), ("इंतजार", "इंतज़ार"), ("इंतजाम", "इंतज़ाम"), ("फायद", "फ़ायद"), ("फुटेज", "फ़ुटेज"),
    ("फोन", "फ़ोन"), ("फिल्म", "फ़िल्म"), ("फैक्ट्री", "फ़ैक्ट्री"), ("फॉरेंसिक", "फ़ॉरेंसिक"),
    ("कागज", "काग़ज़"), ("गुजर", "गुज़र"), ("सजा", "सज़ा"), ("खास", "ख़ास"), ("खत्म", "ख़त्म"),
    ("खतर", "ख़तर"), ("खराब", "ख़राब"), ("खुलास", "ख़ुलास"), ("गरीब", "ग़रीब"), ("गलत", "ग़लत"),
    ("कब्ज", "क़ब्ज़"), ("करीब", "क़रीब"), ("कीमत", "क़ीमत"), ("हजार", "हज़ार"), ("हजरतगंज", "हज़रतगंज"),
    ("मुआवज", "मुआवज़"), ("रिजर्व", "रिज़र्व"), ("फरार", "फ़रार"), ("फसल", "फ़सल"), ("नाराज", "नाराज़"),
    ("मौज", "मौज़"), ("अंदाज", "अंदाज़"), ("जोर", "ज़ोर"), ("फौरन", "फ़ौरन"),
]
HALANT_WORDS = {"अर्थात", "पश्चात", "महान", "विद्वान", "जगत", "श्रीमान", "भगवान", "सम्राट",
                "परिषद", "संसद", "विद्युत", "किंचित", "उपनिषद", "सत", "वाक"}
YE_PAIRS = [("गए", "गये"), ("गई", "गयी"), ("गईं", "गयीं"), ("लिए", "लिये"), ("नए", "नये"), ("नई", "नयी"),
            ("हुए", "हुये"), ("हुई", "हुयी"), ("किए", "किये"), ("दिए", "दिये"), ("चाहिए", "चाहिये"),
            ("आई", "आयी"), ("आईं", "आयीं"), ("पाई", "पायी")]
YE_SUFFIX = [("ाए", "ाये"), ("ाएं", "ायें"), ("ाएगा", "ायेगा"), ("ाएगी", "ायेगी"), ("ाएंगे", "ायेंगे"),
             ("ाएंगी", "ायेंगी")]
NASAL = {"ङ": "कखगघ", "ञ": "चछजझ", "ण": "टठडढ", "न": "तथदध", "म": "पफबभ"}
NASAL_OF = {c: n for n, cs in NASAL.items() for c in cs}
CONSONANTS = set("कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह") | set(PRECOMP)


def _op_nukta_drop(w, r, all_=False):
    idx = [i for i, ch in enumerate(w) if (ch == NUKTA and i and w[i - 1] in DROP_OK)
           or (ch in PRECOMP and PRECOMP[ch] in DROP_OK)]
    if not idx:
        return None
    chosen = idx if all_ else [r.choice(idx)]
    out = []
    for i, ch in enumerate(w):
        if i in chosen:
            if ch != NUKTA:
                out.append(PRECOMP[ch])
            continue
        out.append(ch)
    return "".join(out)


def _op_nukta_add(w, r, all_=False):
    for plain, nuk in NUKTA_STEMS:
        if w.startswith(plain) and not w.startswith(nuk):
            return nuk + w[len(plain):]
    return None


def _op_nukta_encoding(w, r, all_=False):
    if any(ch in PRECOMP for ch in w):
        return "".join(PRECOMP[ch] + NUKTA if ch in PRECOMP else ch for ch in w)
    if NUKTA in w:
        out = w
        for dec, pre in TO_PRECOMP.items():
            out = out.replace(dec, pre)
        return out if out != w else None
    return None


def _op_candra_o(w, r, all_=False):
    if "ॉ" not in w and "ऑ" not in w:
        return None
    if r.random() < 0.6:
        return w.replace("ॉ", "ो").replace("ऑ", "ओ")
    return w.replace("ॉ", "ा").replace("ऑ", "आ")


def _op_chandrabindu(w, r, all_=False):
    if "ँ" in w:
        return w.replace("ँ", "ं")
    idx = [i for i, ch in enumerate(w) if ch == "ं" and i and w[i - 1] in "ाुूआउऊ"]
    if not idx:
        return None
    chosen = idx if all_ else [r.choice(idx)]
    return "".join("ँ" if i in chosen else ch for i, ch in enumerate(w))


def _op_vowel_len(w, r, all_=False, pairs=(("ि", "ी"),)):
    idx = [i for i, ch in enumerate(w) for a, b in pairs if ch in (a, b) and i > 0]
    if not idx:
        return None
    i = r.choice(idx)
    for a, b in pairs:
        if w[i] == a:
            return w[:i] + b + w[i + 1:]
        if w[i] == b:
            return w[:i] + a + w[i + 1:]
    return None


def _op_i_ii(w, r, all_=False):
    return None if all_ else _op_vowel_len(w, r, pairs=(("ि", "ी"),))


def _op_u_uu(w, r, all_=False):
    return None if all_ else _op_vowel_len(w, r, pairs=(("ु", "ू"),))


def _op_halant(w, r, all_=False):
    if w.endswith(VIRAMA):
        return w[:-1]
    if w in HALANT_WORDS:
        return w + VIRAMA
    if all_:
        return None
    idx = [i for i in range(1, len(w) - 1) if w[i] == VIRAMA and w[i - 1] in CONSONANTS
           and w[i + 1] in CONSONANTS and w[i - 1] != "र"]
    if idx:
        i = r.choice(idx)
        return w[:i] + w[i + 1:]
    return None


def _op_zw(w, r, all_=False):
    idx = [i for i in range(1, len(w) - 1) if w[i] == VIRAMA and w[i + 1] in CONSONANTS and w[i - 1] != "र"]
    if not idx:
        return None
    z = ZWJ if r.random() < 0.8 else ZWNJ
    chosen = idx if all_ else [r.choice(idx)]
    return "".join(ch + (z if i in chosen else "") for i, ch in enumerate(w))


NASAL_LEX = [("गंगा", "गङ्गा"), ("पंजाब", "पञ्जाब"), ("संख्या", "सङ्ख्या"), ("अंक", "अङ्क"),
             ("शंका", "शङ्का"), ("संगठन", "सङ्गठन"), ("पंच", "पञ्च"), ("संघ", "सङ्घ")]
NASAL_PREV_OK = set("अइउएिेो") | CONSONANTS


def _op_nasal(w, r, all_=False):
    """anusvara <-> homorganic nasal + halant (हिंदी/हिन्दी, संबंध/सम्बन्ध, ठंड/ठण्ड)."""
    rev = [i for i in range(len(w) - 2) if w[i] in NASAL and w[i + 1] == VIRAMA and w[i + 2] in NASAL[w[i]]]
    if rev:
        chosen = rev if all_ else [r.choice(rev)]
        out, i = [], 0
        while i < len(w):
            if i in chosen:
                out.append("ं")
                i += 2
                continue
            out.append(w[i])
            i += 1
        return "".join(out)
    if not all_:
        for plain, sk in NASAL_LEX:
            if w.startswith(plain) and r.random() < 0.5:
                return sk + w[len(plain):]
    fwd = [i for i in range(1, len(w) - 1) if w[i] == "ं" and w[i + 1] in "तथदधपफबभटठडढ"
           and w[i - 1] in NASAL_PREV_OK]
    if fwd:
        chosen = fwd if all_ else [r.choice(fwd)]
        return "".join(NASAL_OF[w[i + 1]] + VIRAMA if i in chosen else ch for i, ch in enumerate(w))
    return None


def _op_ye(w, r, all_=False):
    for x, y in YE_PAIRS:
        if w == x:
            return y
        if w == y:
            return x
    for x, y in sorted(YE_SUFFIX, key=lambda p: -len(p[0])):
        if w.endswith(x) and len(w) > len(x) + 1:
            return w[:-len(x)] + y
        if w.endswith(y) and len(w) > len(y) + 1:
            return w[:-len(y)] + x
    return None


RESPELL_OPS = {  # name: (function, weight for a random typist)
    "nukta_drop": (_op_nukta_drop, 3.0), "nukta_add": (_op_nukta_add, 3.0),
    "nukta_encoding": (_op_nukta_encoding, 1.0), "candra_o": (_op_candra_o, 2.5),
    "chandrabindu": (_op_chandrabindu, 3.0), "nasal": (_op_nasal, 1.5), "ye": (_op_ye, 2.5),
    "i_ii": (_op_i_ii, 0.15), "u_uu": (_op_u_uu, 0.1), "halant": (_op_halant, 0.2), "zw": (_op_zw, 0.4),
}
CONVERTER_RULES = ["nukta_drop", "nukta_add", "nukta_encoding", "candra_o", "chandrabindu", "nasal", "ye", "zw"]
_TOKEN_RE = re.compile(r"^([^\u0900-\u0963\u0966-\u097F]*)([\u0900-\u0963\u0966-\u097F\u200c\u200d]+)(.*)$", re.S)


def respell_text(text: str, rng, rate: float, mode: str = "typist") -> tuple[str, int, int]:
    """Respell about `rate` of the Devanagari words of `text`.  Returns
    (new_text, changed_words, total_words)."""
    toks = re.split(r"(\s+)", text)
    slots = []
    for i, t in enumerate(toks):
        m = _TOKEN_RE.match(t) if t and not t.isspace() else None
        if m and re.search(r"[\u0905-\u0939\u0958-\u095f]", m.group(2)):
            slots.append((i, m))
    n = len(slots)
    if not n:
        return text, 0, 0
    target = max(1, round(rate * n))
    cap = max(1, math.floor(0.05 * n))
    changed = {}
    if mode == "converter":
        rules = rng.sample(CONVERTER_RULES, rng.randint(1, 2))
        hits = []
        for i, m in slots:
            w = m.group(2)
            for rule in rules:
                nw = RESPELL_OPS[rule][0](w, rng, True)
                if nw and nw != w:
                    w = nw
            if w != m.group(2):
                hits.append((i, w))
        if len(hits) > cap:
            hits = sorted(rng.sample(hits, cap))
        changed.update(dict(hits))
    # typist: pick words with probability proportional to how plausible a slip
    # is for them (weighted sampling without replacement), then pick the slip.
    cands = []
    for j, (i, m) in enumerate(slots):
        if i in changed:
            continue
        w = m.group(2)
        opts = []
        for nm, (fn, wt) in RESPELL_OPS.items():
            nw = fn(w, rng, False)
            if nw and nw != w:
                opts.append((nm, wt, nw))
        if opts:
            tot = sum(o[1] for o in opts)
            cands.append((rng.random() ** (1.0 / tot), i, opts))
    cands.sort(key=lambda c: -c[0])
    for _, i, opts in cands:
        if len(changed) >= target:
            break
        pick = _wchoice(rng, {k: o[1] for k, o in enumerate(opts)})
        changed[i] = opts[pick][2]
    for i, nw in changed.items():
        m = _TOKEN_RE.match(toks[i])
        toks[i] = m.group(1) + nw + m.group(3)
    return "".join(toks), len(changed), n


def v_respell(a: Article, rng, ctx, group):
    """Retyped / font-converted copy: 1-5 % of the words respelled the way a
    different typist or a legacy-font (Kruti Dev/Chanakya) converter writes
    them -- nukta present/absent or precomposed vs. combining (ज़्यादा/ज्यादा),
    ॉ→ो/ा (डॉक्टर/डोक्टर), chandrabindu/anusvara (पाँच/पांच), anusvara vs.
    nasal+halant (हिंदी/हिन्दी), ए/ये (गए/गये), ि/ी and ु/ू slips, trailing or
    dropped halant (परिषद्/परिषद), ZWJ/ZWNJ after a virama."""
    lo, hi = ctx.opts["respell_rate"]
    rate = rng.uniform(lo, hi)
    mode = "converter" if rng.random() < 0.4 else "typist"
    blob = "\n\n".join([a.title] + a.paras)
    new, _, _ = respell_text(blob, rng, rate, mode)
    parts = new.split("\n\n")
    a.title, a.paras = parts[0], parts[1:]
    a.kinds.append("respell")


DEV_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
ASCII_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def v_punct(a: Article, rng, ctx, group):
    """Punctuation and digit conventions of another CMS / converter: danda as
    '|' or '.', or with a space before it; ASCII vs. Devanagari digits; Indian
    thousands commas dropped; curly vs. straight quotes; '...' vs '…'."""
    ops = rng.sample(["danda", "digits", "quotes", "numgroup", "ellipsis"], rng.randint(1, 3))
    danda = rng.choice(["|", ".", " ।", " |"])
    qmode = rng.choice(["straight", "curly", "single"])

    def conv(s):
        for op in ops:
            if op == "danda":
                s = s.replace(" ।", "।").replace("।", danda)
            elif op == "digits":
                s = s.translate(ASCII_DIGITS) if re.search("[०-९]", s) else s.translate(DEV_DIGITS)
            elif op == "numgroup":
                s = re.sub(r"(?<=\d),(?=\d\d)", "", s)
            elif op == "ellipsis":
                s = s.replace("...", "…")
            elif op == "quotes":
                if qmode == "straight":
                    s = s.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
                elif qmode == "curly":
                    s = re.sub(r'"([^"]*)"', r"“\1”", s)
                    s = re.sub(r"(?<![\w\u0900-\u097F])'([^']*)'", r"‘\1’", s)
                else:
                    s = s.replace("“", "‘").replace("”", "’")
                    s = re.sub(r"(?<![\w\u0900-\u097F])'([^']*)'", r'"\1"', s)
        return s

    a.title = conv(a.title)
    a.paras = [conv(p) for p in a.paras]
    a.dateline = conv(a.dateline)
    a.tail = conv(a.tail)
    a.kinds.append("punct")


# Stage 5: rendering

def v_template_lines(a: Article, rng, ctx, group):
    """Site-template lines that survive in scraped TEXT files: breadcrumbs
    ('होम » राज्य » उत्तर प्रदेश'), 'A- A A+', 'audio सुनें', 'अपडेटेड ... IST',
    byline, 'ये भी पढ़ें: ...' teasers and 'विज्ञापन' between paragraphs, tags,
    follow prompts, agency auto-publish disclaimers, app footers, next/previous
    story links -- the first footer line sometimes glued to the last paragraph."""
    s, m = a.site, a.meta
    f = _date_fields(a.when, a.when + dt.timedelta(minutes=rng.randint(5, 300)),
                     sum(len(_words(p)) for p in a.paras))
    sec = s["sections"].get(m["section"], m["section"])
    kw = dict(f, section=sec, section_en=ctx.banks.SECTION_EN.get(m["section"], "News"),
              state=m["state"], state_en=m["state_en"], city=m["city"], city_en=m["city_en"])
    a.top_pre, a.top_post, a.mid, a.bottom = [], [], [], []
    if rng.random() < 0.75:
        a.top_pre.append(_fmt(s["breadcrumb"], **kw))
    post = []
    if rng.random() < 0.6:
        post.append(_byline(a, rng))
    if rng.random() < 0.7:
        post.append(_fmt(s["updated"], **kw))
    for wdg in s["widgets"]:
        if rng.random() < 0.4:
            post.append(wdg)
    if rng.random() < 0.25 and post:
        a.top_pre.append(post.pop(rng.randrange(len(post))))
    a.top_post = post
    others = _other_titles(a, rng, ctx, 4)
    if len(a.paras) >= 2:
        for _ in range(rng.choice([0, 1, 1, 2])):
            pos = rng.randrange(len(a.paras) - 1)
            a.mid.append((pos, _fmt(s["teaser"], t=others.pop() if others else rng.choice(ctx.banks.TEASERS))))
        if rng.random() < 0.35:
            a.mid.append((rng.randrange(len(a.paras) - 1), s["ad"]))
    bottom = []
    disc = _fmt(s["disclaimer"], agency=s["agency_forms"].get(a.agency, "एजेंसी") if a.agency else "एजेंसी")
    if a.agency and rng.random() < 0.6:
        bottom.append(disc)
    elif not a.agency and rng.random() < 0.05:
        bottom.append(disc)
    if rng.random() < 0.5:
        tags = m["tags"] + [sec]
        bottom.append(_fmt(s["tags"], tags=", ".join(tags), tags_hash=" #".join(t.replace(" ", "") for t in tags)))
    if rng.random() < 0.45:
        bottom.append(s["follow"])
    if rng.random() < 0.3:
        bottom.append(s["share"])
    if rng.random() < 0.4:
        t1 = others.pop() if others else rng.choice(ctx.banks.TEASERS)
        bottom.append(_fmt(s["next"], t=t1))
        if rng.random() < 0.6:
            bottom.append(_fmt(s["prev"], t=rng.choice(ctx.banks.TEASERS)))
    if rng.random() < 0.3:
        bottom.append(s["app"])
    if rng.random() < 0.15:
        bottom.append(s["comments"])
    if rng.random() < 0.2:
        bottom.append(s["copyright"])
    if not bottom and not a.top_pre and not a.top_post:
        bottom.append(s["follow"])
    a.bottom = bottom
    a.glue = (rng.choice([" ", "", "  "]) if bottom and rng.random() < 0.3 else None)
    a.render_kinds.append("template_lines")


def v_html(a: Article, rng, ctx, group):
    """HTML reprint: the same article inside the site's full page -- head meta,
    navigation, breadcrumbs, byline, share buttons, in-body 'also read' boxes and
    ads, tags, related-story links, comments, footer; AMP-style sites add a
    JSON-LD NewsArticle block, legacy sites use tables, <font> and <br><br>."""
    a.fmt = "html"
    a.render_kinds.append("html")


def v_reflow(a: Article, rng, ctx, group):
    """Text-file re-flow from different scrapers / e-paper PDF extraction:
    single newlines between paragraphs, CRLF line ends, indented paragraphs,
    trailing blanks, hard-wrapped lines, or everything on one line."""
    ops = rng.sample(["single", "crlf", "indent", "trailing", "wrap", "oneline"], rng.randint(1, 2))
    if "oneline" in ops and "wrap" in ops:
        ops.remove("wrap")
    for op in ops:
        if op == "single":
            a.sep = "\n"
        elif op == "crlf":
            a.eol = "\r\n"
        elif op == "indent":
            a.indent = rng.choice(["    ", "\t", "\u00a0\u00a0\u00a0", "  "])
        elif op == "trailing":
            a.trailing_ws = True
        elif op == "wrap":
            a.wrap = rng.randint(55, 90)
        elif op == "oneline":
            a.oneline = True
    a.render_kinds.append("reflow")


# =========================================================================== building blocks
def _pick_new_site(rng, ctx, group):
    used = group["sites_used"]
    free = [s for s in ctx.sites if s["id"] not in used]
    site = rng.choice(free or ctx.sites)
    used.add(site["id"])
    return site


def _vary_headline(title, meta, rng, banks):
    t = title
    strategies = rng.sample(["prefix", "suffix", "clause", "colon", "quotes"], 3)
    for st in strategies:
        nt = t
        if st == "prefix" and ":" not in t[:25]:
            nt = _fmt(rng.choice(banks.HEADLINE_PREFIXES), city=meta["city"], city_en=meta["city_en"],
                      state=meta["state"]) + t
        elif st == "suffix":
            nt = t.rstrip("।. ") + rng.choice(banks.HEADLINE_SUFFIXES)
        elif st == "clause":
            parts = re.split(r"\s*[,;]\s*", t, maxsplit=1)
            if len(parts) == 2:
                nt = rng.choice([parts[1] + ", " + parts[0], parts[0], parts[0] + " | " + parts[1]])
        elif st == "colon" and ":" in t:
            head, _, rest = t.partition(":")
            nt = rng.choice([rest.strip(), rest.strip() + " - " + head.strip(), head.strip() + " | " + rest.strip()])
        elif st == "quotes":
            nt = t.replace("'", "‘", 1).replace("'", "’", 1) if "'" in t else t.replace("‘", "'").replace("’", "'")
        if nt != t:
            t = nt
            if rng.random() < 0.6:
                break
    if t == title:
        t = _fmt(rng.choice(banks.HEADLINE_PREFIXES), city=meta["city"], city_en=meta["city_en"],
                 state=meta["state"]) + title
    return t


def _new_headline(a, rng, ctx, group):
    used = group["titles_used"]
    alts = [t for t in a.meta.get("alt_titles", []) if t not in used]
    if alts and rng.random() < 0.8:
        t = rng.choice(alts)
    else:
        t = _vary_headline(group["story"]["title"], a.meta, rng, ctx.banks)
        for _ in range(3):
            if t not in used:
                break
            t = _vary_headline(t, a.meta, rng, ctx.banks)
    used.add(t)
    return t


def _new_lead(a, rng, ctx):
    alts = a.meta.get("alt_leads", [])
    if alts and rng.random() < 0.75:
        return rng.choice(alts)
    head = re.sub(r"^[^:]{1,30}:\s*", "", a.title).rstrip("।. ")
    tpl = rng.choice(ctx.banks.NEW_LEADS)
    return _fmt(tpl, city=a.meta["city"], state=a.meta["state"], headline=head, headline_lc=head,
                weekday=WEEKDAYS_HI[a.when.weekday()])


def _byline(a, rng):
    s = a.site
    rep, rep_en = a.reporter
    ag = s["agency_forms"].get(a.agency, "एजेंसी") if a.agency else ""
    tpl = rng.choice(s["byline_agency"] if a.agency else s["byline"])
    return _fmt(tpl, reporter=rep, reporter_en=rep_en, city=a.meta["city"], agency=ag)


def _other_titles(a, rng, ctx, k):
    pool = [t for t in ctx.titles if t != a.title]
    picks = rng.sample(pool, min(k, len(pool))) if pool else []
    while len(picks) < k:
        picks.append(rng.choice(ctx.banks.TEASERS))
    rng.shuffle(picks)
    return picks


def attach_dateline(a: Article, rng):
    """Dateline in the site's own style ('लखनऊ, 12 मार्च (भाषा)।', 'पटना :')."""
    s = a.site
    f = _date_fields(a.when)
    tpl = rng.choice(s["dateline_agency"] if a.agency else s["dateline_own"])
    ag = s["agency_forms"].get(a.agency, "एजेंसी") if a.agency else ""
    a.dateline = _fmt(tpl, city=a.meta["city"], d=f["d"], mon=f["mon"], Y=f["Y"], agency=ag)
    a.dateline_line = rng.random() < s.get("dateline_line", 0.0)
    a.byline = _byline(a, rng)


# =========================================================================== rendering
def _wrap(text, width):
    out, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = (line + " " + w) if line else w
    if line:
        out.append(line)
    return "\n".join(out)


def render_txt(a: Article) -> str:
    body = list(a.paras)
    if a.dateline:
        if a.dateline_line:
            body[0] = a.dateline + "\n" + body[0]
        else:
            body[0] = a.dateline + " " + body[0]
    if a.tail:
        body[-1] = body[-1] + a.tail
    blocks = []
    mids = {}
    for pos, line in a.mid:
        mids.setdefault(pos, []).append(line)
    for i, p in enumerate(body):
        blocks.append(p)
        if i < len(body) - 1:
            blocks.extend(mids.get(i, []))
    if a.credit:
        blocks.append(a.credit)
    bottom = list(a.bottom)
    if a.glue is not None and bottom:
        blocks[-1] = blocks[-1] + a.glue + bottom.pop(0)
    if a.wrap:
        blocks = [_wrap(b, a.wrap) for b in blocks]
    if a.indent:
        blocks = [a.indent + b for b in blocks]
    if a.trailing_ws:
        blocks = [b + " " for b in blocks]
    header = a.top_pre + [a.title] + a.top_post
    if a.oneline:
        text = " ".join(header) + "\n" + " ".join(b.replace("\n", " ") for b in blocks + bottom) + "\n"
    else:
        text = "\n".join(header) + "\n\n" + a.sep.join(blocks + bottom) + "\n"
    if a.eol != "\n":
        text = text.replace("\n", a.eol)
    return text


def _e(s):
    return html.escape(s, quote=False)


def _ea(s):
    return html.escape(s, quote=True)


def render_html(a: Article, rng, ctx) -> str:
    s, m, banks = a.site, a.meta, ctx.banks
    hs = s["html"]
    f = _date_fields(a.when, a.when + dt.timedelta(minutes=rng.randint(5, 300)),
                     sum(len(_words(p)) for p in a.paras))
    sec = s["sections"].get(m["section"], m["section"])
    sec_en = banks.SECTION_EN.get(m["section"], "News")
    num = rng.randint(100000, 9999999)
    slug_city = m["city_en"].lower().replace(" ", "-")
    url = f"https://{s['domain']}/{sec_en.lower()}/{slug_city}/story-{num}.html"
    iso = a.when.strftime("%Y-%m-%dT%H:%M:%S+05:30")
    kw = dict(f, section=sec, section_en=sec_en, state=m["state"], state_en=m["state_en"],
              city=m["city"], city_en=m["city_en"])
    updated = _fmt(s["updated"], **kw)
    crumbs = [hs["nav"][0], sec, m["state"] if "{state" in s["breadcrumb"] else m["city"]]
    related = _other_titles(a, rng, ctx, rng.randint(3, 6))
    first = a.paras[0] if a.paras else ""
    desc = first[:150]
    layout = s.get("layout", "classic")

    body_ps = []
    dl = (f'<span class="dateline">{_e(a.dateline)}</span> ' if a.dateline and not a.dateline_line else "")
    if a.dateline and a.dateline_line:
        body_ps.append(("dl", a.dateline))
    for i, p in enumerate(a.paras):
        body_ps.append(("p", p))
        if i == 0 and rng.random() < 0.5:
            body_ps.append(("ad", s["ad"]))
        if i < len(a.paras) - 1 and rng.random() < 0.25:
            body_ps.append(("also", related[i % len(related)] if related else rng.choice(banks.TEASERS)))
    if a.tail:
        body_ps.append(("tail", " ".join(a.tail.split())))
    if a.credit:
        body_ps.append(("p", a.credit))

    def body_html(para_tag="p"):
        out, first_p = [], True
        for typ, txt in body_ps:
            if typ == "p":
                pre = dl if first_p else ""
                first_p = False
                if para_tag == "br":
                    out.append(f"{pre}{_e(txt)}<br><br>")
                else:
                    out.append(f"<p>{pre}{_e(txt)}</p>")
            elif typ == "dl":
                out.append(f'<p class="dateline"><strong>{_e(txt)}</strong></p>' if para_tag == "p"
                           else f"<b>{_e(txt)}</b><br>")
            elif typ == "ad":
                out.append(f'<div class="ad-slot" data-slot="{num % 97}"><span>{_e(txt)}</span></div>')
            elif typ == "also":
                lab = s["teaser"].split("{t}")[0].strip()
                out.append(f'<div class="also-read"><strong>{_e(lab)}</strong> '
                           f'<a href="/{sec_en.lower()}/story-{rng.randint(100000, 9999999)}.html">{_e(txt)}</a></div>')
            elif typ == "tail":
                out.append(f'<p class="read-more"><a href="{_ea(url)}">{_e(txt)}</a></p>')
        return "\n".join(out)

    nav = "\n".join(f'<li><a href="/{i}">{_e(n)}</a></li>' for i, n in enumerate(hs["nav"]))
    crumb_html = ' <span class="sep">»</span> '.join(f'<a href="/">{_e(c)}</a>' for c in crumbs)
    rel_html = "\n".join(f'<li><a href="/story-{rng.randint(100000, 9999999)}.html">{_e(t)}</a></li>' for t in related)
    tags_html = " ".join(f'<a class="tag" href="/tags/{_ea(t)}">{_e(t)}</a>' for t in m["tags"])
    share = "".join(f'<a class="share-{x.lower()}" href="#">{x}</a>' for x in ["Facebook", "Twitter", "WhatsApp", "Telegram"])
    comments = rng.sample(banks.COMMENTS, rng.randint(0, 3))
    com_html = "\n".join(f'<li class="comment"><b>{_e(n)}</b><p>{_e(c)}</p></li>' for n, c in comments)
    foot = " | ".join(f'<a href="/{i}">{_e(x)}</a>' for i, x in enumerate(banks.FOOTER_LINKS))
    head_common = (f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                   f'<title>{_e(a.title)} | {_e(s["name"])}</title>\n'
                   f'<meta name="description" content="{_ea(desc)}">\n'
                   f'<meta property="og:title" content="{_ea(a.title)}">\n'
                   f'<meta property="og:url" content="{_ea(url)}">\n<link rel="canonical" href="{_ea(url)}">')
    byline = a.byline

    if layout == "amp":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "datePublished": iso, "dateModified": iso, "author": {"@type": "Person", "name": a.reporter[1]},
              "publisher": {"@type": "Organization", "name": s["name"]},
              "articleBody": "\n".join(a.paras)}
        ld_s = json.dumps(ld, ensure_ascii=rng.random() < 0.4).replace("</", "<\\/")
        return f"""<!doctype html>
<html amp lang="hi">
<head>
{head_common}
<script type="application/ld+json">{ld_s}</script>
<style amp-custom>body{{font-family:'Noto Sans Devanagari',sans-serif}} .story-body p{{line-height:1.7}}</style>
</head>
<body>
<header class="top-bar"><a class="logo" href="/">{_e(s['name'])}</a>
<nav class="menu"><ul>
{nav}
</ul></nav></header>
<div class="breadcrumb">{crumb_html}</div>
<article class="story">
<h1 class="story-title">{_e(a.title)}</h1>
<div class="story-meta"><span class="author">{_e(byline)}</span> <time datetime="{iso}">{_e(updated)}</time></div>
<div class="share-bar">{share}</div>
<div class="{hs['body_class']}">
{body_html()}
</div>
<div class="tags">{tags_html}</div>
</article>
<section class="related"><h2>{_e(hs['related'])}</h2><ul>
{rel_html}
</ul></section>
<footer class="site-footer"><div class="links">{foot}</div><p>{_e(s['copyright'])}</p></footer>
</body>
</html>
"""
    if layout == "wp":
        return f"""<!DOCTYPE html>
<html lang="hi-IN">
<head>
{head_common}
<link rel='stylesheet' id='theme-style-css' href='https://{s['domain']}/wp-content/themes/news/style.css' media='all'>
</head>
<body class="post-template-default single single-post postid-{num} single-format-standard">
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">{_e(s['name'])}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
{nav}
</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<div class="breadcrumbs">{crumb_html}</div>
<article id="post-{num}" class="post-{num} post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{_e(a.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{iso}">{_e(updated)}</time></span>
<span class="byline"> <span class="author vcard">{_e(byline)}</span></span></div></header>
<div class="{hs['body_class']}">
{body_html()}
<div class="sharedaddy"><h3 class="sd-title">{_e(s['share'])}</h3>{share}</div>
</div>
<footer class="entry-footer"><span class="tags-links">{tags_html}</span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-links">
<div class="nav-previous"><a href="/p/{num - 1}">{_e(related[0] if related else '')}</a></div>
<div class="nav-next"><a href="/p/{num + 1}">{_e(related[-1] if related else '')}</a></div></div></nav>
<div id="comments" class="comments-area"><ol class="comment-list">
{com_html}
</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{_e(s['comments'])}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform"><textarea id="comment" name="comment"></textarea>
<input name="submit" type="submit" value="टिप्पणी भेजें"></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">{_e(hs['trending'])}</h2><ul>
{rel_html}
</ul></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">{foot}<br>{_e(s['copyright'])}</div></footer>
</div>
</body>
</html>
"""
    if layout == "legacy":
        return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
<HEAD>
<META http-equiv="Content-Type" content="text/html; charset=utf-8">
<TITLE>{_e(s['name'])} - {_e(a.title)}</TITLE>
<meta name="keywords" content="{_ea(', '.join(m['tags']))}">
</HEAD>
<BODY bgcolor="#FFFFFF" topmargin="0" leftmargin="0">
<TABLE width="980" border="0" cellpadding="0" cellspacing="0" align="center">
<TR><TD class="topnav">{' | '.join(_e(n) for n in hs['nav'])}</TD></TR>
<TR><TD class="path">{_e(_fmt(s['breadcrumb'], **kw))}</TD></TR>
<TR><TD>
<TABLE width="100%"><TR><TD width="70%" valign="top">
<font class="headline" size="5"><b>{_e(a.title)}</b></font><br>
<font size="2" color="#666666">{_e(updated)} &nbsp; {_e(byline)}</font><br><br>
<div class="{hs['body_class']}"><font face="Mangal" size="3">
{body_html('br')}
</font></div>
<br><font size="2">{_e(s['share'])}</font>
</TD>
<TD width="30%" valign="top" class="rightcol"><b>{_e(hs['related'])}</b><ul>
{rel_html}
</ul></TD></TR></TABLE>
</TD></TR>
<TR><TD class="footer" align="center">{foot}<br>{_e(s['copyright'])}</TD></TR>
</TABLE>
</BODY>
</HTML>
"""
    # classic
    widgets = " ".join(f'<span class="widget">{_e(w)}</span>' for w in s["widgets"])
    return f"""<!DOCTYPE html>
<html lang="hi">
<head>
{head_common}
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"section":"{sec_en}","city":"{m['city_en']}"}});</script>
</head>
<body class="article-page">
<div id="wrapper">
<header class="site-header"><div class="logo"><a href="/">{_e(s['name'])}</a></div>
<nav class="main-nav"><ul>
{nav}
</ul></nav></header>
<div class="breadcrumb">{crumb_html}</div>
<main class="content">
<article class="story-detail">
<h1 class="headline">{_e(a.title)}</h1>
<div class="byline-wrap"><span class="byline">{_e(byline)}</span> <span class="updated">{_e(updated)}</span></div>
<div class="tools">{widgets}</div>
<div class="{hs['body_class']}">
{body_html()}
</div>
<div class="tags"><span>{_e(_fmt(s['tags'], tags='', tags_hash='')).strip()}</span> {tags_html}</div>
<div class="social-share">{share}</div>
</article>
<section class="related-news"><h3>{_e(hs['related'])}</h3><ul>
{rel_html}
</ul></section>
<section class="comments"><h3>{_e(s['comments'])}</h3><ul>
{com_html}
</ul></section>
</main>
<footer class="site-footer"><div class="app">{_e(s['app'])}</div><div class="links">{foot}</div><p class="copy">{_e(s['copyright'])}</p></footer>
</div>
</body>
</html>
"""


# =========================================================================== groups
CONTENT_KINDS = {"wire", "syndicate", "rerun", "truncate", "edit", "paragraphs", "respell", "punct"}


def _new_article(story, role, base, site, when, meta, agency, rng, ctx):
    a = Article(story_id=story["id"], role=role, base=base, title=story["title"],
                paras=list(story["paragraphs"]), site=site, when=when, meta=meta, agency=agency)
    a.reporter = rng.choice(ctx.banks.REPORTERS)
    return a


def _finish(a, rng, ctx, group, render_mods, primary_render=None):
    """Stage 5 (render) and conversion to a Doc-like tuple."""
    if primary_render:
        primary_render(a, rng, ctx, group)
    for fn, p in render_mods:
        if fn is v_html and a.fmt == "html":
            continue
        if fn is v_template_lines and (a.fmt == "html" or "template_lines" in a.render_kinds):
            continue
        if fn is v_reflow and (a.fmt == "html" or "reflow" in a.render_kinds):
            continue
        if rng.random() < p:
            fn(a, rng, ctx, group)
    content = render_html(a, rng, ctx) if a.fmt == "html" else render_txt(a)
    group["arts"].append(a)
    kind = "+".join(a.kinds + a.render_kinds)
    return {"content": content, "ext": a.fmt, "story": a.story_id, "kind": kind, "base": a.base,
            "site": a.site["id"], "role": a.role, "title": a.title, "paragraphs": list(a.paras)}


def make_group(story, role, base, ctx, k, *, site=None, when=None, agency=None, allow=None):
    """Publish `story` once on its origin site and k-1 more times as copies."""
    rng = ctx.rng("group", story["id"])
    meta = story_meta(story, ctx.banks)
    meta["alt_titles"] = list(story.get("alt_titles", []))
    meta["alt_leads"] = list(story.get("alt_leads", []))
    site = site or rng.choice(ctx.sites)
    when = when or ctx.dates.get(story["id"])
    ctx.origin_site[story["id"]] = site["id"]
    group = {"story": story, "arts": [], "sites_used": {site["id"]}, "titles_used": {story["title"]}}
    ctx.sites_used[story["id"]] = group["sites_used"]
    html_p = ctx.opts.get("html_rate")
    out = []

    # --- the original publication
    a0 = _new_article(story, role, base, site, when, meta, agency, rng, ctx)
    a0.kinds = (["wire"] if agency and role == "base" else
                [ROLE_LABELS[role]] + (["wire"] if agency else []))
    attach_dateline(a0, rng)
    out.append(_finish(a0, rng, ctx, group,
                       [(v_html, html_p if html_p is not None else site["html_rate"]),
                        (v_template_lines, 0.55), (v_reflow, 0.08)]))

    # --- copies
    for i in range(1, k):
        crng = ctx.rng("copy", story["id"], i)
        prims = ({"wire": 5, "rerun": 1, "truncate": 1.5, "respell": 1.5, "html": 1.5, "template_lines": 1}
                 if agency else
                 {"syndicate": 2.5, "rerun": 2, "truncate": 2, "respell": 2, "html": 2,
                  "template_lines": 1.5, "edit": 1, "paragraphs": 1})
        if allow:
            prims = {kk: vv for kk, vv in prims.items() if kk in allow} or {"respell": 1}
        if len(story["paragraphs"]) < 2:
            prims.pop("truncate", None)
            prims.pop("rerun", None)
        prim = _wchoice(crng, prims)
        txt_arts = [x for x in group["arts"] if x.fmt == "txt"]
        if prim in ("html", "template_lines") and (group["arts"] if prim == "template_lines" else txt_arts):
            src = crng.choice(group["arts"] if prim == "template_lines" else txt_arts)
            a = copy.deepcopy(src)
            a.site = src.site
            a.kinds = [x for x in src.kinds if x in CONTENT_KINDS]
            a.render_kinds, a.fmt = [], "txt"
            a.top_pre, a.top_post, a.mid, a.bottom, a.glue = [], [], [], [], None
            a.sep, a.eol, a.indent, a.wrap, a.trailing_ws, a.oneline = "\n\n", "\n", "", 0, False, False
            a.when = src.when + dt.timedelta(minutes=crng.randint(0, 90))
            fn = v_html if prim == "html" else v_template_lines
            mods = [] if prim == "html" else [(v_reflow, 0.3)]
            out.append(_finish(a, crng, ctx, group, mods, primary_render=fn))
            continue
        if prim in ("html", "template_lines"):
            prim = "respell"
        a = _new_article(story, role, base, ctx.site_by_id[ctx.origin_site[story["id"]]],
                         when, meta, agency, crng, ctx)
        # stage 1: publisher
        if prim == "wire":
            v_wire(a, crng, ctx, group)
        elif prim == "syndicate":
            v_syndicate(a, crng, ctx, group)
        elif prim == "rerun":
            v_rerun(a, crng, ctx, group)
        else:
            if crng.random() < 0.5:
                (v_wire if agency else v_syndicate)(a, crng, ctx, group)
            else:
                a.when = a.when + dt.timedelta(hours=crng.randint(1, 30))
        # stage 2: content edits
        if prim in ("truncate", "edit", "paragraphs"):
            {"truncate": v_truncate, "edit": v_edit, "paragraphs": v_paragraphs}[prim](a, crng, ctx, group)
        if prim != "rerun" and "truncate" not in a.kinds and len(a.paras) >= 2 and crng.random() < 0.12:
            v_truncate(a, crng, ctx, group)
        if "edit" not in a.kinds and crng.random() < 0.15:
            v_edit(a, crng, ctx, group)
        if "paragraphs" not in a.kinds and crng.random() < 0.18:
            v_paragraphs(a, crng, ctx, group)
        # stage 3: dateline, stage 4: typing
        attach_dateline(a, crng)
        if prim == "respell" or crng.random() < 0.25:
            v_respell(a, crng, ctx, group)
        if crng.random() < 0.2:
            v_punct(a, crng, ctx, group)
        out.append(_finish(a, crng, ctx, group,
                           [(v_html, 0.8 * (html_p if html_p is not None else a.site["html_rate"])),
                            (v_template_lines, 0.5), (v_reflow, 0.15)]))
    return out


# =========================================================================== negatives
def make_synth_followup(story, rng, banks):
    """Synthetic next-day follow-up for stories without a hand-written one:
    new headline and lead with new figures, 1-3 background paragraphs reused
    verbatim from the earlier story, 1-2 new paragraphs."""
    short = re.split(r"[:,;|]", story["title"])[0].strip()
    short = " ".join(short.split()[:7])
    nums = {"n1": rng.randint(4, 60), "n2": rng.randint(2, 6), "n3": rng.randint(3, 15),
            "n4": rng.randint(2, 90), "n5": rng.randint(2, 9)}
    meta = story_meta(story, banks)
    wd = rng.choice(WEEKDAYS_HI)
    kw = dict(nums, short=short, city=meta["city"], weekday=wd, prev_day=rng.choice(["कल", "बीते दिन", "एक दिन पहले"]))
    title = _fmt(rng.choice(banks.FOLLOWUP_HEADLINES), **kw)
    lead = _fmt(rng.choice(banks.FOLLOWUP_LEADS), **kw)
    bg = story["paragraphs"][1:] or story["paragraphs"]
    reuse = sorted(rng.sample(range(len(bg)), min(len(bg), rng.randint(1, 3))))
    new = [_fmt(p, **kw) for p in rng.sample(banks.FOLLOWUP_NEW_PARAS, rng.randint(1, 2))]
    paras = [lead, new[0]] + [bg[i] for i in reuse] + new[1:]
    return {"id": f"{story['id']}_followup_synth", "title": title, "paragraphs": paras,
            "role": "followup", "of": story["id"]}


def make_daily_stories(ctx, per_family=(4, 7)):
    """Templated daily reports: each family is printed by two papers, each with
    its own fixed template; instances differ in date, place and figures."""
    out = []
    for fam in ctx.banks.FAMILIES:
        rng = ctx.rng("daily", fam["id"])
        sites = rng.sample(ctx.sites, 2)
        start = dt.datetime(2024, 1, 1, 7, 0) + dt.timedelta(days=rng.randint(0, 520))
        n = rng.randint(*per_family)
        seen = set()
        for j in range(n):
            p = rng.randrange(2)
            site, variant = sites[p], fam["variants"][p % len(fam["variants"])]
            for _ in range(10):
                day = start + dt.timedelta(days=j // 2 + rng.randint(0, 1))
                city = rng.choice(fam["places"])
                if (p, day.date(), city) not in seen:
                    break
            seen.add((p, day.date(), city))
            when = day.replace(hour=rng.randint(6, 19), minute=rng.randint(0, 59))
            state, city_en = ctx.banks.CITIES.get(city, ("दिल्ली", "New Delhi"))
            c = {"month": when.month, "weekday": WEEKDAYS_HI[when.weekday()],
                 "date_hi": f"{when.day} {MONTHS_HI[when.month - 1]} {when.year}",
                 "d": when.day, "mon": MONTHS_HI[when.month - 1], "Y": when.year,
                 "city": city, "state": state, "city_en": city_en}
            v = dict(c)
            for name, fn in fam["slots"]:
                v[name] = fn(rng, v, c)
            story = {"id": f"daily_{fam['id']}_{j + 1:02d}", "title": variant["title"].format(**v),
                     "paragraphs": [pp.format(**v) for pp in variant["paras"]], "city": city,
                     "role": "daily", "of": f"daily_{fam['id']}"}
            out.append((story, site, when))
    return out


# =========================================================================== API
def generate(stories, seed, n_copies_range=(1, 4), *, banks=None, daily=True, daily_per_family=(4, 7),
             synth_followup_rate=0.0, respell_rate=(0.01, 0.05), wire_rate=0.35, html_rate=None,
             shuffle_names=True) -> list[Doc]:
    """Generate a near-duplicate corpus.

    stories: list of {"id", "title", "paragraphs"}; optional "role"
      ("followup"/"rewrite") with "of" (source id) -- or ids ending in
      _followup/_rewrite -- mark hard negatives; optional "alt_titles",
      "alt_leads", "city".  load_base() returns such a list.
    n_copies_range: (lo, hi) documents per base-story group (skewed to 1).
    daily: add templated daily reports (True) or not.
    Returns Docs sorted by file name ("docs/NNNNN.txt|html").
    """
    banks = banks or load_banks()
    lo, hi = n_copies_range
    ctx = Ctx(banks, seed, {"respell_rate": respell_rate, "html_rate": html_rate})
    ids = {s["id"] for s in stories}
    base_list, neg_list = [], []
    for s in stories:
        role, of = s.get("role"), s.get("of")
        if not role:
            m = _ROLE_RE.match(s["id"])
            if m and m.group(1) in ids:
                role, of = m.group(2), m.group(1)
        if role in ("followup", "rewrite") and of in ids:
            neg_list.append((s, role, of))
        else:
            base_list.append(s)
    base_list.sort(key=lambda s: s["id"])
    neg_list.sort(key=lambda t: t[0]["id"])
    has_fu = {of for _, r, of in neg_list if r == "followup"}
    if synth_followup_rate > 0:
        for s in base_list:
            r = ctx.rng("synthfu", s["id"])
            if s["id"] not in has_fu and len(s["paragraphs"]) >= 3 and r.random() < synth_followup_rate:
                neg_list.append((make_synth_followup(s, r, banks), "followup", s["id"]))
    daily_items = make_daily_stories(ctx, daily_per_family) if daily else []
    ctx.titles = sorted({s["title"] for s in base_list} | {s["title"] for s, _, _ in neg_list}
                        | {s["title"] for s, _, _ in daily_items})

    raw = []
    agencies = {}
    for s in base_list:
        r = ctx.rng("plan", s["id"])
        ctx.dates[s["id"]] = align_weekday(dt.datetime(2024, 1, 1, 6) + dt.timedelta(
            days=r.randint(0, 540), minutes=r.randint(0, 16 * 60)), s, r)
        agency = _wchoice(r, {"PTI": 5, "IANS": 3, "UNI": 1.5, "AGENCY": 1}) if r.random() < wire_rate else None
        agencies[s["id"]] = agency
        k = _draw_group_size(r, "base", lo, hi)
        if agency and k == 1 and hi >= 2 and r.random() < 0.6:
            k = 2
        raw += make_group(s, "base", s["id"], ctx, k, agency=agency)
    for s, role, of in neg_list:
        r = ctx.rng("plan", s["id"])
        k = _draw_group_size(r, role, lo, hi)
        base_when = ctx.dates[of]
        if role == "followup":
            site = ctx.site_by_id[ctx.origin_site[of]]
            when = align_weekday(base_when + dt.timedelta(days=1, hours=r.randint(-3, 6)), s, r)
            agency = agencies.get(of) if r.random() < 0.5 else None
        else:
            used = ctx.sites_used.get(of, set())
            free = [x for x in ctx.sites if x["id"] not in used] or ctx.sites
            site = r.choice(free)
            when = base_when + dt.timedelta(hours=r.randint(0, 10))
            agency = None
        ctx.dates[s["id"]] = when
        raw += make_group(s, role, of, ctx, k, site=site, when=when, agency=agency)
    for s, site, when in daily_items:
        r = ctx.rng("plan", s["id"])
        k = _draw_group_size(r, "daily", lo, hi)
        raw += make_group(s, "daily", s["of"], ctx, k, site=site, when=when,
                          allow={"syndicate", "respell", "html", "template_lines", "truncate"})

    order = list(range(len(raw)))
    if shuffle_names:
        ctx.rng("names").shuffle(order)
    docs = []
    for num, idx in enumerate(order, 1):
        d = raw[idx]
        docs.append(Doc(file=f"docs/{num:05d}.{d['ext']}", content=d["content"], story=d["story"],
                        kind=d["kind"], base=d["base"], site=d["site"], role=d["role"],
                        title=d["title"], paragraphs=d["paragraphs"]))
    docs.sort(key=lambda d: d.file)
    return docs


def write_corpus(docs, out_dir):
    """Write docs under out_dir/ and gold.jsonl (one {"file","story","kind","base"} per line)."""
    ddir = os.path.join(out_dir, "docs")
    os.makedirs(ddir, exist_ok=True)
    for name in os.listdir(ddir):
        if re.fullmatch(r"\d{5}\.(txt|html)", name):
            os.remove(os.path.join(ddir, name))
    for d in docs:
        with open(os.path.join(out_dir, d.file), "w", encoding="utf-8", newline="") as f:
            f.write(d.content)
    with open(os.path.join(out_dir, "gold.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for d in docs:
            f.write(json.dumps(d.gold(), ensure_ascii=False) + "\n")


def summarize(docs) -> dict:
    from collections import Counter
    groups = Counter(d.story for d in docs)
    roles = Counter()
    for d in docs:
        roles[d.role] += 1
    sizes = Counter(groups.values())
    kinds = Counter()
    for d in docs:
        for k in d.kind.split("+"):
            kinds[k] += 1
    return {"docs": len(docs), "groups": len(groups), "docs_by_role": dict(sorted(roles.items())),
            "group_sizes": dict(sorted(sizes.items())), "kind_counts": dict(sorted(kinds.items())),
            "html_docs": sum(d.file.endswith(".html") for d in docs)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory (docs/ and gold.jsonl)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--base", nargs="+", action="extend", default=None,
                    help="base dirs with NNN.txt / NNN_followup.txt / NNN_rewrite.txt / *.jsonl (default: bundled base/)")
    ap.add_argument("--max-stories", type=int, default=None, help="use at most K base stories (seeded sample)")
    ap.add_argument("--min-copies", type=int, default=1)
    ap.add_argument("--max-copies", type=int, default=6)
    ap.add_argument("--no-daily", action="store_true", help="skip templated daily reports")
    ap.add_argument("--daily-per-family", type=int, nargs=2, default=[4, 7], metavar=("MIN", "MAX"))
    ap.add_argument("--synth-followups", type=float, default=0.0,
                    help="rate of synthetic follow-ups for stories without a hand-written one")
    ap.add_argument("--banks", default=DEFAULT_BASE, help="dir with banks.py and daily_templates.py")
    args = ap.parse_args(argv)

    stories = load_base(args.base or [DEFAULT_BASE])
    if args.max_stories is not None:
        bases = sorted(s["id"] for s in stories if not s.get("role"))
        keep = set(sorted(_rng(args.seed, "max").sample(bases, min(args.max_stories, len(bases)))))
        stories = [s for s in stories if (s["id"] in keep if not s.get("role") else s.get("of") in keep)]
    docs = generate(stories, args.seed, (args.min_copies, args.max_copies), banks=load_banks(args.banks),
                    daily=not args.no_daily, daily_per_family=tuple(args.daily_per_family),
                    synth_followup_rate=args.synth_followups)
    write_corpus(docs, args.out)
    print(json.dumps(summarize(docs), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
