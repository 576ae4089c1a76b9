#!/usr/bin/env python3
"""Validate the Hindi NER / linking gold set entities3 part b (/work/gold/entities3b) and print its statistics.

Adapted from /work/gold/entities2/check.py: ids t036..t070, every paragraph part=test,
80-160 words, published 2023-01-01..2026-11-30, beat from a fixed list, gids prefixed n3b_,
and the set-level targets of the brief (>= 170 distinct gids, about 40 % prominent) checked once
35 paragraphs exist.

Usage: python3 check.py [--missing] [--list-recurring]
  --missing          print a TSV skeleton for gids used in paragraphs but absent from entities.tsv
  --list-recurring   list entities that occur in >= 3 paragraphs with their surface forms
Exit status 1 if any error was found.
"""
import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PARA = os.path.join(HERE, "paragraphs.jsonl")
ENTS = os.path.join(HERE, "entities.tsv")

TYPES = {"PER", "LOC", "ORG"}
CLASSES = set("""human country state district city town village locality region river mountain
continent party company government ministry department court legislature agency police military
university school hospital team sports_body union ngo media international_org religious_org other""".split())
CLASS_TYPE = {  # which classes are allowed for which type
    "PER": {"human", "other"},
    "LOC": {"country", "state", "district", "city", "town", "village", "locality", "region",
            "river", "mountain", "continent", "other"},
    "ORG": CLASSES - {"human", "country", "state", "district", "city", "town", "village",
                      "locality", "region", "river", "mountain", "continent"},
}
POSTPOSITIONS = {"ने", "को", "का", "की", "के", "में", "से", "पर", "तक", "द्वारा", "लिए", "और", "व", "एवं"}
TITLES_OUTSIDE = {"श्री", "श्रीमती", "सुश्री", "डॉ.", "डॉ", "डा.", "प्रधानमंत्री", "मुख्यमंत्री", "राष्ट्रपति",
                  "मंत्री", "जी", "साहब", "डीएम", "एसपी", "एसएसपी", "थानाध्यक्ष", "प्रभारी", "न्यायमूर्ति",
                  "प्रो.", "कप्तान", "कोच", "सांसद", "विधायक", "प्रधान", "सरपंच", "इंस्पेक्टर", "दरोगा",
                  "उपमुख्यमंत्री", "राज्यपाल", "एसडीएम", "बीडीओ", "सीएमओ", "तहसीलदार", "कलेक्टर", "जिलाधिकारी",
                  "ज़िलाधिकारी", "अधीक्षक", "निरीक्षक", "उपनिरीक्षक", "मुखिया", "जनरल", "अयातुल्ला", "न्यायाधीश",
                  "महासचिव", "अध्यक्ष", "सचिव", "सीईओ", "निदेशक", "महानिदेशक", "गवर्नर", "डीसीपी", "एएसपी",
                  "डीएफओ", "रेंजर", "एसएचओ", "सिपाही", "हेड", "अभियंता", "आयुक्त", "मेजर", "कर्नल", "राजदूत"}
# spans that legitimately start with a title-like token
TITLE_WHITELIST = {"श्री शिवछत्रपति क्रीड़ा संकुल", "जनरल मोटर्स", "श्री बजरंग इंटर कॉलेज", "राष्ट्रपति भवन", "श्री राम जन्मभूमि तीर्थ क्षेत्र", "डॉ. एपीजे अब्दुल कलाम प्राविधिक विश्वविद्यालय"}
# strings that look like an entity name but are not one in that paragraph (e.g. a lander called Vikram)
NOT_ENTITY = {("t056", "गोमती"), ("t050", "तेज"), ("t064", "तेज"), ("t066", "सबौर")}  # filled per paragraph while annotating: (pid, string)
BEATS = {"sport_cricket", "sport_other", "regional", "education", "disaster", "entertainment",
         "culture", "science_tech", "obituary"}
PUNCT = set("।॥,.;:!?\"'“”‘’()[]{}-–—/|")
MARK = re.compile(r"\[\[([^\[\]|]+)\|([A-Z]+)\|([^\[\]|]+)\]\]")
GID_RE = re.compile(r"^n3b_[a-z0-9_]+$")
# Devanagari letters, matras, nukta, virama and Latin/digits: a span may not touch these from outside
WORDCHAR = re.compile(r"[\u0900-\u0963\u0966-\u097FA-Za-z0-9]")

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


# ---------------------------------------------------------------- entities.tsv
ents = {}
with open(ENTS, encoding="utf-8") as fh:
    header = fh.readline().rstrip("\n").split("\t")
    want = ["gid", "type", "name_en", "wikidata", "prominent", "class", "hindi_canonical", "note"]
    if header != want:
        err(f"entities.tsv header is {header}, expected {want}")
    for ln, line in enumerate(fh, 2):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 8:
            err(f"entities.tsv:{ln}: {len(cols)} columns (want 8): {line[:80]}")
            continue
        gid, typ, name_en, qid, prom, cls, hindi, note = cols
        if gid in ents:
            err(f"entities.tsv:{ln}: duplicate gid {gid}")
        if not GID_RE.match(gid):
            err(f"entities.tsv:{ln}: bad gid {gid!r}")
        if typ not in TYPES:
            err(f"entities.tsv:{ln}: bad type {typ}")
        if not name_en.strip():
            err(f"entities.tsv:{ln}: empty name_en for {gid}")
        if qid and not re.match(r"^Q[1-9][0-9]*$", qid):
            err(f"entities.tsv:{ln}: bad wikidata {qid!r}")
        if prom not in ("yes", "no"):
            err(f"entities.tsv:{ln}: prominent must be yes/no, got {prom!r}")
        if qid and prom != "yes":
            err(f"entities.tsv:{ln}: {gid} has a QID but prominent={prom}")
        if cls not in CLASSES:
            err(f"entities.tsv:{ln}: bad class {cls!r}")
        elif typ in CLASS_TYPE and cls not in CLASS_TYPE[typ]:
            err(f"entities.tsv:{ln}: class {cls} not compatible with type {typ}")
        if not hindi.strip():
            err(f"entities.tsv:{ln}: empty hindi_canonical for {gid}")
        ents[gid] = dict(type=typ, name_en=name_en, qid=qid, prominent=prom, cls=cls, hindi=hindi)

qids = collections.Counter(e["qid"] for e in ents.values() if e["qid"])
for q, n in qids.items():
    if n > 1:
        err(f"QID {q} used by {n} entities")

# ---------------------------------------------------------------- paragraphs
paras = []
with open(PARA, encoding="utf-8") as fh:
    for ln, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"paragraphs.jsonl:{ln}: bad JSON: {e}")
            continue
        paras.append(obj)

mentions = []  # (pid, part, surface, type, gid)
missing = collections.OrderedDict()
seen_ids = set()
for i, p in enumerate(paras):
    pid = p.get("id")
    for k in ("id", "part", "beat", "published", "text"):
        if k not in p:
            err(f"{pid}: missing key {k}")
    if set(p) - {"id", "part", "beat", "published", "text"}:
        err(f"{pid}: extra keys {set(p) - {'id', 'part', 'beat', 'published', 'text'}}")
    want_id = f"t{i + 36:03d}"
    if pid != want_id:
        err(f"paragraph {i + 1}: id {pid} (expected {want_id})")
    if pid in seen_ids:
        err(f"duplicate id {pid}")
    seen_ids.add(pid)
    want_part = "test"
    if p.get("beat") not in BEATS:
        err(f"{pid}: beat {p.get('beat')!r} not in the beat list")
    if p.get("part") != want_part:
        err(f"{pid}: part {p.get('part')} (expected {want_part})")
    try:
        d = datetime.date.fromisoformat(p.get("published", ""))
        if not (datetime.date(2023, 1, 1) <= d <= datetime.date(2026, 11, 30)):
            err(f"{pid}: date {d} outside 2023-01-01..2026-11-30")
    except ValueError:
        err(f"{pid}: bad date {p.get('published')!r}")
    text = p.get("text", "")
    # markers
    for m in MARK.finditer(text):
        surf, typ, gid = m.group(1), m.group(2), m.group(3)
        if typ not in TYPES:
            err(f"{pid}: bad type {typ} in {m.group(0)}")
        if not GID_RE.match(gid):
            err(f"{pid}: bad gid {gid!r}")
        if surf != surf.strip() or not surf.strip():
            err(f"{pid}: whitespace at span edge: {m.group(0)}")
        toks = surf.split()
        if toks:
            if toks[0] in POSTPOSITIONS or toks[-1] in POSTPOSITIONS:
                err(f"{pid}: postposition at span edge: {m.group(0)}")
            if toks[0] in TITLES_OUTSIDE and surf not in TITLE_WHITELIST:
                err(f"{pid}: title inside span: {m.group(0)}")
            if toks[-1] in {"जी", "साहब"}:
                err(f"{pid}: honorific inside span: {m.group(0)}")
        if surf and (surf[0] in PUNCT or (surf[-1] in PUNCT and not (surf[-1] == ")" and "(" in surf))):
            err(f"{pid}: punctuation at span edge: {m.group(0)}")
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if WORDCHAR.match(before) or WORDCHAR.match(after):
            err(f"{pid}: span glued to a word (cut inside a word?): ...{text[max(0, m.start() - 8):m.end() + 8]}...")
        if gid not in ents:
            missing.setdefault(gid, (typ, surf))
            err(f"{pid}: gid {gid} not in entities.tsv")
        elif ents[gid]["type"] != typ:
            err(f"{pid}: {m.group(0)} type {typ} but entities.tsv says {ents[gid]['type']}")
        mentions.append((pid, p.get("part"), surf, typ, gid))
    rest = MARK.sub("", text)
    if "[[" in rest or "]]" in rest or re.search(r"\|(PER|LOC|ORG)\|", rest):
        err(f"{pid}: malformed or nested marker near: {rest[max(0, rest.find('[[') - 20):rest.find('[[') + 60]}")
    if '"' in text or "\\" in text:
        warn(f"{pid}: ASCII quote or backslash in text")
    plain = MARK.sub(lambda m: m.group(1), text)
    nw = len(plain.split())
    if not (80 <= nw <= 160):
        err(f"{pid}: {nw} words (want 80-160)")
    p["_plain"] = plain
    p["_words"] = nw


# ---------------------------------------------------------------- possible unannotated mentions
cands = collections.defaultdict(set)
for pid, part, surf, typ, gid in mentions:
    cands[surf].add(gid)
    if typ == "PER":
        for t in surf.split():
            if len(t) >= 3 and "." not in t:
                cands[t].add(gid)
IGNORE_CANDS = {"कुमारी", "गया", "रानी", "आशा", "विकास", "सपना", "संतोष", "प्रवेश", "प्रधान", "मुखिया", "पटवारी", "स्मृति", "कुमार", "देवी", "सिंह", "प्रसाद", "लाल", "राम", "मोहम्मद", "खान", "शर्मा", "यादव", "गांधी"}
for p in paras:
    resid = MARK.sub(lambda m: " " * len(m.group(0)), p.get("text", ""))
    for c in cands:
        if c in IGNORE_CANDS or (p["id"], c) in NOT_ENTITY:
            continue
        for mm in re.finditer(re.escape(c), resid):
            b = resid[mm.start() - 1] if mm.start() > 0 else " "
            a = resid[mm.end()] if mm.end() < len(resid) else " "
            if not WORDCHAR.match(b) and not WORDCHAR.match(a):
                warn(f"{p['id']}: possible unannotated mention {c!r} (gid {','.join(sorted(cands[c]))}): ...{resid[max(0, mm.start() - 15):mm.end() + 15].strip()}...")

used = {m[4] for m in mentions}
for gid in ents:
    if gid not in used:
        err(f"entities.tsv: gid {gid} never used in paragraphs")

# ---------------------------------------------------------------- statistics
def table(rows, head):
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    out = ["  ".join(str(h).ljust(w[i]) for i, h in enumerate(head))]
    for r in rows:
        out.append("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)))
    return "\n".join(out)


parts = ["dev", "test"]
print("== Paragraphs ==")
pc = collections.Counter(p.get("part") for p in paras)
print(f"paragraphs: {len(paras)} (dev {pc['dev']}, test {pc['test']}); words: total {sum(p['_words'] for p in paras)}, "
      f"min {min(p['_words'] for p in paras)}, max {max(p['_words'] for p in paras)}")
bc = collections.Counter(p.get("beat") for p in paras)
print("beats: " + ", ".join(f"{b} {n}" for b, n in sorted(bc.items(), key=lambda x: (-x[1], x[0]))))
years = collections.Counter(p.get("published", "")[:4] for p in paras)
print("years: " + ", ".join(f"{y} {n}" for y, n in sorted(years.items())))

print("\n== Mentions / distinct entities per type and part ==")
rows = []
for t in ["PER", "LOC", "ORG"]:
    r = [t]
    for part in parts + [None]:
        ms = [m for m in mentions if m[3] == t and (part is None or m[1] == part)]
        r += [len(ms), len({m[4] for m in ms})]
    rows.append(r)
r = ["ALL"]
for part in parts + [None]:
    ms = [m for m in mentions if part is None or m[1] == part]
    r += [len(ms), len({m[4] for m in ms})]
rows.append(r)
print(table(rows, ["type", "dev_ment", "dev_ent", "test_ment", "test_ent", "all_ment", "all_ent"]))
tot = len(mentions)
if tot:
    share = collections.Counter(m[3] for m in mentions)
    print("mention share: " + ", ".join(f"{t} {100 * share[t] / tot:.1f}%" for t in ["PER", "LOC", "ORG"]))
dev_g = {m[4] for m in mentions if m[1] == "dev"}
test_g = {m[4] for m in mentions if m[1] == "test"}
print(f"entities in both parts: {len(dev_g & test_g)}; test-only: {len(test_g - dev_g)}; dev-only: {len(dev_g - test_g)}")

print("\n== entities.tsv ==")
print(f"entities: {len(ents)}; prominent yes: {sum(e['prominent'] == 'yes' for e in ents.values())}, "
      f"no (obscure): {sum(e['prominent'] == 'no' for e in ents.values())}; with QID: {sum(bool(e['qid']) for e in ents.values())}")
cc = collections.Counter(e["cls"] for e in ents.values())
print("classes: " + ", ".join(f"{c} {n}" for c, n in sorted(cc.items(), key=lambda x: (-x[1], x[0]))))
obscure_ment = sum(1 for m in mentions if m[4] in ents and ents[m[4]]["prominent"] == "no")
print(f"mentions of obscure entities: {obscure_ment} of {tot}")

print("\n== Cross-paragraph identity ==")
gid_paras = collections.defaultdict(set)
gid_forms = collections.defaultdict(collections.Counter)
for pid, part, surf, typ, gid in mentions:
    gid_paras[gid].add(pid)
    gid_forms[gid][surf] += 1
rec3 = sorted([g for g in gid_paras if len(gid_paras[g]) >= 3], key=lambda g: (-len(gid_paras[g]), g))
rec3_multi = [g for g in rec3 if len(gid_forms[g]) >= 2]
rec2 = [g for g in gid_paras if len(gid_paras[g]) >= 2]
print(f"entities in >=2 paragraphs: {len(rec2)}; in >=3 paragraphs: {len(rec3)} "
      f"(of which with >=2 surface forms: {len(rec3_multi)}); obscure in >=3: "
      f"{sum(1 for g in rec3 if g in ents and ents[g]['prominent'] == 'no')}")
multi_form = [g for g in gid_forms if len(gid_forms[g]) >= 2]
print(f"entities with >=2 different surface forms: {len(multi_form)}")
# surface forms shared by different gids (ambiguity)
form_gids = collections.defaultdict(set)
for pid, part, surf, typ, gid in mentions:
    form_gids[surf].add(gid)
amb = {s: g for s, g in form_gids.items() if len(g) > 1}
print(f"ambiguous surface forms (same string, different gids): {len(amb)}"
      + ("" if not amb else " -> " + "; ".join(f"{s}: {','.join(sorted(g))}" for s, g in sorted(amb.items()))))

# surname groups: PER entities whose English name shares the last token
sur = collections.defaultdict(set)
for gid, e in ents.items():
    if e["type"] == "PER" and e["cls"] == "human":
        toks = e["name_en"].replace(".", ". ").split()
        if len(toks) >= 2:
            sur[toks[-1].lower()].add(gid)
groups = {s: g for s, g in sur.items() if len(g) >= 2}
print(f"surname-sharing groups (>=2 different people): {len(groups)}")
for s, g in sorted(groups.items(), key=lambda x: (-len(x[1]), x[0])):
    print(f"  {s} ({len(g)}): " + ", ".join(sorted(ents[x]['name_en'] for x in g)))
# same-paragraph surname sharing
same_para = 0
for p in paras:
    gids = {m[4] for m in mentions if m[0] == p["id"] and m[4] in ents and ents[m[4]]["type"] == "PER"}
    last = collections.Counter(ents[g]["name_en"].split()[-1].lower() for g in gids if len(ents[g]["name_en"].split()) > 1)
    if any(n > 1 for n in last.values()):
        same_para += 1
print(f"paragraphs with two different people sharing a surname: {same_para}")

if "--list-recurring" in sys.argv:
    print("\nrecurring (>=3 paragraphs):")
    for g in rec3:
        print(f"  {g} [{len(gid_paras[g])}]: " + " | ".join(f"{s}×{n}" for s, n in gid_forms[g].most_common()))

if "--missing" in sys.argv and missing:
    print("\nmissing gids (skeleton):")
    for gid, (typ, surf) in missing.items():
        print(f"{gid}\t{typ}\t\t\t\t\t{surf}\t")

print("\n== Targets of the brief ==")
n_prom = sum(1 for e in ents.values() if e["prominent"] == "yes")
prom_share = n_prom / len(ents) if ents else 0
print(f"distinct gids {len(ents)} (target >= 170); prominent {n_prom}/{len(ents)} = {100 * prom_share:.1f}% (target about 40%)")
if len(paras) >= 35:
    if len(paras) != 35:
        err(f"{len(paras)} paragraphs (want 35)")
    if len(ents) < 170:
        err(f"only {len(ents)} distinct gids (want >= 170)")
    if not (0.30 <= prom_share <= 0.50):
        warn(f"prominent share {100 * prom_share:.1f}% far from 40%")
    missing_beats = BEATS - {p.get("beat") for p in paras}
    if missing_beats:
        err(f"beats never used: {sorted(missing_beats)}")
else:
    print(f"(set-level targets enforced once 35 paragraphs exist; now {len(paras)})")

print("\n== Problems ==")
for w in warnings:
    print("WARN", w)
for e in errors:
    print("ERROR", e)
print(f"{len(errors)} errors, {len(warnings)} warnings")
sys.exit(1 if errors else 0)
