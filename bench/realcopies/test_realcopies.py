# -*- coding: utf-8 -*-
"""Checks for realcopies.py.  Run:  python -m pytest test_realcopies.py
or  python test_realcopies.py   (plain asserts, standard library only)."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import realcopies as rc  # noqa: E402

_CACHE = {}


def _docs(seed=1):
    if seed not in _CACHE:
        _CACHE[seed] = rc.generate(rc.load_base([rc.DEFAULT_BASE]), seed, (1, 6))
    return _CACHE[seed]


def _norm(s):
    return " ".join(s.split())


class _Text(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "td", "tr", "h1", "h2", "h3", "section", "article", "header", "footer"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.stack, self.in_body = [], 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")
        if tag not in ("br", "meta", "link", "img", "input", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip and self.in_body:
            self.parts.append(data)


def test_determinism_same_seed():
    a = rc.generate(rc.load_base([rc.DEFAULT_BASE]), 7, (1, 6))
    b = rc.generate(rc.load_base([rc.DEFAULT_BASE]), 7, (1, 6))
    assert [(d.file, d.content, d.story, d.kind, d.base) for d in a] == \
           [(d.file, d.content, d.story, d.kind, d.base) for d in b]
    c = rc.generate(rc.load_base([rc.DEFAULT_BASE]), 8, (1, 6))
    assert [d.content for d in a] != [d.content for d in c]


def test_cli_byte_identical():
    tmp = tempfile.mkdtemp(prefix="dedupgen_test_", dir=HERE)
    try:
        digests = []
        for run in ("a", "b"):
            out = os.path.join(tmp, run)
            subprocess.run([sys.executable, os.path.join(HERE, "realcopies.py"), "--out", out,
                            "--seed", "3", "--max-stories", "12"], check=True, capture_output=True)
            h = hashlib.sha256()
            for root, _, files in sorted(os.walk(out)):
                for f in sorted(files):
                    p = os.path.join(root, f)
                    h.update(os.path.relpath(p, out).encode())
                    with open(p, "rb") as fh:
                        h.update(fh.read())
            digests.append(h.hexdigest())
        assert digests[0] == digests[1]
        gold = [json.loads(l) for l in open(os.path.join(tmp, "a", "gold.jsonl"), encoding="utf-8")]
        assert gold and all(set(g) == {"file", "story", "kind", "base"} for g in gold)
        for g in gold:
            assert os.path.isfile(os.path.join(tmp, "a", g["file"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_every_doc_has_story_and_kind():
    docs = _docs()
    assert len(docs) > 50
    files = [d.file for d in docs]
    assert len(files) == len(set(files))
    for d in docs:
        assert d.story and d.kind and d.base
        assert d.file.startswith("docs/") and d.file.endswith((".txt", ".html"))


def test_negatives_never_in_source_group():
    docs = _docs()
    base_ids = {d.story for d in docs if d.role == "base"}
    for d in docs:
        if d.role in ("followup", "rewrite"):
            assert d.story != d.base
            assert d.story not in base_ids
            assert d.base in base_ids          # the source story is in the corpus
        if d.role == "daily":
            assert d.story not in base_ids and d.story != d.base
    # a group never mixes roles or sources
    groups = defaultdict(set)
    for d in docs:
        groups[d.story].add((d.role, d.base))
    assert all(len(v) == 1 for v in groups.values())
    roles = {d.role for d in docs}
    assert {"base", "followup", "rewrite", "daily"} <= roles


def test_followups_reuse_background_but_are_own_story():
    docs = _docs()
    by_story = defaultdict(list)
    for d in docs:
        by_story[d.story].append(d)
    n = 0
    for sid, ds in by_story.items():
        if ds[0].role != "followup":
            continue
        src = by_story[ds[0].base]
        src_paras = {_norm(p) for x in src for p in x.paragraphs}
        fu_paras = {_norm(p) for x in ds for p in x.paragraphs}
        n += bool(src_paras & fu_paras)
    assert n >= 5


def test_utf8_and_body_present():
    tmp = tempfile.mkdtemp(prefix="dedupgen_test_", dir=HERE)
    try:
        docs = _docs()
        rc.write_corpus(docs, tmp)
        for d in docs:
            with open(os.path.join(tmp, d.file), "rb") as f:
                raw = f.read()
            text = raw.decode("utf-8")        # raises if not UTF-8
            assert text == d.content
            if d.file.endswith(".txt"):
                flat = _norm(text)
                for p in d.paragraphs:
                    assert _norm(p) in flat, (d.file, p[:40])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_html_wellformed_and_contains_body():
    docs = [d for d in _docs() if d.file.endswith(".html")]
    assert len(docs) >= 10
    for d in docs:
        assert re.search(r"<html[\s>]", d.content, re.I) and re.search(r"</html>\s*$", d.content, re.I)
        assert re.search(r"<body[\s>]", d.content, re.I) and "</body>" in d.content.lower()
        parser = _Text()
        parser.feed(d.content)
        parser.close()
        text = _norm("".join(parser.parts))
        for p in d.paragraphs:
            assert _norm(p) in text, (d.file, p[:40])
        assert _norm(d.title) in text


def test_mix_is_realistic():
    docs = _docs()
    sizes = defaultdict(int)
    for d in docs:
        if d.role == "base":
            sizes[d.story] += 1
    counts = list(sizes.values())
    assert sum(c == 1 for c in counts) >= len(counts) * 0.25       # many singletons
    assert any(c >= 3 for c in counts)                               # some larger groups
    kinds = {k for d in docs for k in d.kind.split("+")}
    for k in ("wire", "rerun", "truncate", "respell", "html", "template_lines", "paragraphs", "edit"):
        assert k in kinds, k
    daily = defaultdict(list)
    for d in docs:
        if d.role == "daily":
            daily[d.base].append(d.story)
    assert len(daily) >= 6
    for fam, stories in daily.items():
        per = defaultdict(int)
        for s in stories:
            per[s] += 1
        assert sum(v == 1 for v in per.values()) >= 2, fam           # singletons per family


def test_respell_rate_bounds():
    import random
    base = rc.load_base([rc.DEFAULT_BASE])
    text = "\n\n".join(p for s in base[:30] for p in s["paragraphs"])
    for mode in ("typist", "converter"):
        for rate in (0.01, 0.05):
            new, changed, n = rc.respell_text(text, random.Random(1), rate, mode)
            assert n > 1000
            assert 0.005 * n <= changed <= 0.05 * n + 1, (mode, rate, changed, n)
            assert len(new.split()) == len(text.split())


def test_external_stories_and_jsonl():
    tmp = tempfile.mkdtemp(prefix="dedupgen_test_", dir=HERE)
    try:
        with open(os.path.join(tmp, "ext.jsonl"), "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "x1", "title": "नगर निगम ने शुरू किया सफाई अभियान",
                                "text": "शहर में सोमवार से सफाई अभियान शुरू हुआ। पहले दिन 40 वार्डों में काम हुआ।\n\n"
                                        "महापौर ने कहा कि अभियान एक महीने चलेगा। लोगों से सहयोग की अपील की गई।\n\n"
                                        "अभियान में 600 कर्मचारी लगाए गए हैं। हर वार्ड में निगरानी समिति बनेगी।"},
                               ensure_ascii=False) + "\n")
        st = rc.load_base([tmp])
        assert st and st[0]["paragraphs"]
        docs = rc.generate(st, 5, (2, 4), daily=False, synth_followup_rate=1.0)
        assert {d.story for d in docs} == {"x1", "x1_followup_synth"}
        assert all(d.base == "x1" for d in docs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    fails = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            try:
                fn()
                print("ok  ", name)
            except Exception as e:  # noqa: BLE001
                fails += 1
                print("FAIL", name, repr(e)[:300])
    sys.exit(1 if fails else 0)
