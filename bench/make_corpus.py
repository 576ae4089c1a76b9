"""A synthetic Hindi news corpus built from the project's own text, for benchmarks and dedup tests.

Sources: the paragraphs and headings of the bundled example article (examples/) and a set of short
Hindi news paragraphs written for this project (below; placeholders such as {P} and {CITY} are filled
in per article). Each article is made by:

- picking a topic and 2-6 of its paragraphs (or the example's), in shuffled order;
- swapping names, places, numbers and dates for others from small lists;
- adding subheadings, "ये भी पढ़ें" teasers, bylines, photo credits, follow prompts and agency credits;
- sometimes repeating the whole body, as the example article arrives;
- wrapping a share of articles in an HTML page (nav, header, footer, © line) instead of plain text.

Planted duplicates: a share of articles are an `exact` copy (same text, new id and URL) or a `near`
copy (a sentence dropped or changed, teasers changed) of an earlier one; `dup_of` names the original.

Library use (from another bench script: `sys.path.insert(0, "bench")`):

    from make_corpus import CorpusOptions, generate
    for doc in generate(CorpusOptions(n=10_000, seed=1, duplicates=0.1)):
        doc.id, doc.kind, doc.content, doc.dup_of, doc.to_record()

Command line:

    python bench/make_corpus.py OUT.jsonl --n 10000 --seed 1 --duplicates 0.1 --html 0.2
    python bench/make_corpus.py OUT_DIR/ --n 300          # one .txt / .html file per article
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "000_3ad8789db8de2740.txt"

PEOPLE = [
    "राहुल शर्मा",
    "सुनीता वर्मा",
    "अमित कुमार",
    "प्रिया सिंह",
    "मनोज तिवारी",
    "अनीता देवी",
    "विकास यादव",
    "रेखा गुप्ता",
    "संजय मिश्रा",
    "नीलम चौधरी",
    "अरविंद पांडेय",
    "कविता राठौर",
]
LEADERS = ["जेलेंस्की", "मैक्रों", "पुतिन", "ट्रंप", "स्टार्मर", "मेलोनी", "शोल्ज", "एर्दोगन"]
CITIES = ["पटना", "लखनऊ", "जयपुर", "भोपाल", "रांची", "देहरादून", "शिमला", "इंदौर", "वाराणसी", "गया", "अजमेर"]
STATES = ["बिहार", "उत्तर प्रदेश", "राजस्थान", "मध्य प्रदेश", "झारखंड", "उत्तराखंड", "हिमाचल प्रदेश"]
ORGS = ["नगर निगम", "जिला प्रशासन", "स्वास्थ्य विभाग", "शिक्षा विभाग", "पुलिस", "मौसम विभाग"]
TEAMS = ["भारत", "ऑस्ट्रेलिया", "इंग्लैंड", "न्यूजीलैंड", "दक्षिण अफ्रीका", "श्रीलंका"]
MONTHS = ["जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"]
WEEKDAYS = ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"]
AGENCIES = ["भाषा", "पीटीआई", "आईएएनएस", "एजेंसी"]

# Topic: (headlines, subheadings, paragraphs). Written for this project; {..} are filled per article.
TOPICS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "weather": (
        ["{CITY} में भारी बारिश से जलभराव", "{STATE} में ठंड का कहर, {N} जिलों में अलर्ट", "{CITY} में लू से लोग बेहाल"],
        ["स्कूल बंद रहेंगे", "अगले दो दिन कैसा रहेगा मौसम?", "प्रशासन ने क्या कहा"],
        [
            "{CITY} में {WEEKDAY} को हुई भारी बारिश से कई इलाकों में जलभराव हो गया। {ORG} ने पंप लगाकर पानी निकालने"
            " का काम शुरू किया। निचले इलाकों में रहने वाले {N} परिवारों को सुरक्षित जगह पहुंचाया गया।",
            "मौसम विभाग ने {DATE} तक {STATE} के {N} जिलों में बारिश की चेतावनी जारी की है। विभाग के मुताबिक अगले"
            " 48 घंटों में तापमान 3.5 डिग्री तक गिर सकता है। किसानों से फसल को ढककर रखने की अपील की गई है।",
            "जिलाधिकारी {P} ने बताया कि {DATE} को सभी सरकारी और निजी स्कूल बंद रहेंगे। उन्होंने लोगों से बिना जरूरत"
            " घर से न निकलने की अपील की। आपात स्थिति के लिए हेल्पलाइन नंबर भी जारी किया गया है।",
            "शहर के कई हिस्सों में बिजली आपूर्ति भी बाधित रही। बिजली विभाग के अधिकारियों ने कहा कि {N} घंटे में"
            " आपूर्ति बहाल कर दी जाएगी। लोगों ने सोशल मीडिया पर जलभराव की तस्वीरें साझा कीं।",
        ],
    ),
    "election": (
        [
            "{STATE} चुनाव: {P} ने {CITY} में की रैली",
            "{CITY} में मतदान {N} फीसदी, लंबी कतारें",
            "चुनाव आयोग ने जारी की तारीखें",
        ],
        ["किसने क्या कहा?", "कब होगा मतदान", "विपक्ष का पलटवार"],
        [
            "{STATE} में विधानसभा चुनाव से पहले {P} ने {WEEKDAY} को {CITY} में एक बड़ी रैली को संबोधित किया। उन्होंने"
            " कहा कि सरकार बनने पर {N} लाख युवाओं को रोजगार दिया जाएगा। रैली में हजारों लोग पहुंचे।",
            "चुनाव आयोग के अनुसार राज्य में {DATE} को मतदान होगा और नतीजे अगले हफ्ते आएंगे। कुल {N} सीटों पर"
            " करीब 2.5 करोड़ मतदाता अपने मताधिकार का प्रयोग करेंगे। सुरक्षा के लिए अतिरिक्त बल तैनात किया गया है।",
            "विपक्ष के नेता {P2} ने सरकार पर वादे पूरे न करने का आरोप लगाया। उन्होंने कहा, “जनता सब देख रही है।”"
            " उनकी पार्टी ने {CITY} में घर-घर संपर्क अभियान शुरू किया है।",
            "डॉ. {P2} ने बताया कि इस बार पहली बार वोट डालने वालों की संख्या {N} हजार से ज्यादा है। मतदान केंद्रों"
            " पर दिव्यांग और बुजुर्ग मतदाताओं के लिए विशेष व्यवस्था की गई है।",
        ],
    ),
    "cricket": (
        ["{TEAM} ने {TEAM2} को {N} रन से हराया", "{P} का शतक, {TEAM} की बड़ी जीत", "सीरीज पर {TEAM} का कब्जा"],
        ["कैसा रहा मैच", "अगला मुकाबला कब?", "कप्तान ने क्या कहा"],
        [
            "{CITY} में खेले गए मुकाबले में {TEAM} ने {TEAM2} को {N} रन से हरा दिया। पहले बल्लेबाजी करते हुए टीम ने"
            " 50 ओवर में 312 रन बनाए। जवाब में विपक्षी टीम 45.3 ओवर में सिमट गई।",
            "{P} ने 98 गेंदों पर शानदार शतक लगाया और प्लेयर ऑफ द मैच चुने गए। उन्होंने अपनी पारी में 11 चौके और"
            " 4 छक्के लगाए। यह उनके करियर का {N}वां शतक है।",
            "मैच के बाद कप्तान {P2} ने कहा कि टीम ने हर विभाग में अच्छा प्रदर्शन किया। सीरीज का अगला मुकाबला {DATE}"
            " को खेला जाएगा। टीम प्रबंधन ने अंतिम एकादश में बदलाव के संकेत दिए हैं।",
        ],
    ),
    "economy": (
        ["सेंसेक्स {N} अंक चढ़ा, निवेशक खुश", "महंगाई दर घटकर 4.2 फीसदी", "{STATE} में {N} करोड़ का निवेश"],
        ["बाजार का हाल", "विशेषज्ञों की राय", "आम आदमी पर असर"],
        [
            "शेयर बाजार में {WEEKDAY} को जोरदार तेजी देखी गई और सेंसेक्स {N} अंक चढ़कर बंद हुआ। बैंकिंग और आईटी"
            " शेयरों में सबसे ज्यादा खरीदारी हुई। विदेशी निवेशकों ने भी बाजार में पैसा लगाया।",
            "सरकारी आंकड़ों के मुताबिक खुदरा महंगाई दर घटकर 4.2 फीसदी पर आ गई है। सब्जियों और दालों की कीमतों में"
            " गिरावट से राहत मिली है। रिजर्व बैंक की अगली बैठक {DATE} को होगी।",
            "अर्थशास्त्री {P} का कहना है कि आने वाले महीनों में ब्याज दरों में कटौती हो सकती है। उन्होंने कहा कि"
            " ग्रामीण मांग में सुधार अर्थव्यवस्था के लिए अच्छा संकेत है।",
        ],
    ),
    "health": (
        ["{CITY} में डेंगू के {N} नए मरीज", "एम्स में नई ओपीडी शुरू", "{STATE} में टीकाकरण अभियान"],
        ["अस्पतालों में क्या तैयारी", "डॉक्टरों की सलाह", "कैसे करें बचाव?"],
        [
            "{CITY} में पिछले 24 घंटों में डेंगू के {N} नए मरीज मिले हैं। स्वास्थ्य विभाग ने सभी अस्पतालों में"
            " अलग वार्ड बनाने के निर्देश दिए हैं। मरीजों की संख्या लगातार बढ़ रही है।",
            "सिविल सर्जन डॉ. {P} ने बताया कि जिले में {N} टीमें घर-घर जाकर सर्वे कर रही हैं। लोगों से घर के आसपास"
            " पानी जमा न होने देने की अपील की गई है। बुखार होने पर तुरंत जांच कराने की सलाह दी गई है।",
            "राज्य के स्वास्थ्य मंत्री {P2} ने {WEEKDAY} को अस्पताल का दौरा किया। उन्होंने कहा कि दवाओं और जांच"
            " किट की कोई कमी नहीं है। लापरवाही बरतने वाले कर्मचारियों पर कार्रवाई होगी।",
        ],
    ),
    "court": (
        ["हाईकोर्ट ने {ORG} से मांगा जवाब", "{CITY} जमीन घोटाला: {N} आरोपी बरी", "सुप्रीम कोर्ट का अहम फैसला"],
        ["क्या है मामला?", "अगली सुनवाई कब", "याचिकाकर्ता ने क्या कहा"],
        [
            "हाईकोर्ट ने {CITY} में अवैध निर्माण के मामले में {ORG} से {N} दिन में जवाब मांगा है। अदालत ने कहा कि"
            " नियमों का पालन न करने वाले अधिकारियों की जिम्मेदारी तय की जाए। मामले की अगली सुनवाई {DATE} को होगी।",
            "याचिकाकर्ता के वकील {P} ने बताया कि शिकायत 7.1.2024 को दर्ज कराई गई थी। उनका कहना है कि कई बार आवेदन"
            " देने के बावजूद कोई कार्रवाई नहीं हुई। अदालत ने सभी पक्षों को हलफनामा दाखिल करने को कहा है।",
            "सरकारी वकील {P2} ने अदालत को बताया कि जांच समिति बना दी गई है। समिति {N} हफ्ते में अपनी रिपोर्ट"
            " सौंपेगी। अदालत ने रिपोर्ट की प्रति याचिकाकर्ता को भी देने का आदेश दिया।",
        ],
    ),
}

TEASER_TEMPLATES = ["ये भी पढ़ें: {H}", "यह भी पढ़ें- {H}", "इसे भी पढ़ें | {H}", "Also Read: {H}"]
EXTRA_BOILERPLATE = [
    "रिपोर्ट: {P}, {CITY}",
    "फोटो: {AGENCY}",
    "फोटो साभार: सोशल मीडिया",
    "ताजा खबरों के लिए हमारे व्हाट्सएप चैनल से जुड़ें",
    "(इनपुट: {AGENCY})",
    "हमें फेसबुक पर फॉलो करें",
    "सांकेतिक तस्वीर",
]


@dataclass(frozen=True, slots=True)
class CorpusOptions:
    """How many articles, the random seed and the shares of HTML pages, planted duplicates and copies."""

    n: int = 300
    seed: int = 0
    html: float = 0.2
    duplicates: float = 0.1
    near_share: float = 0.5
    doubled: float = 0.15
    start: date = date(2025, 1, 1)
    days: int = 540


@dataclass(slots=True)
class CorpusDoc:
    """One generated article. `content` is plain text or a whole HTML page (`kind`)."""

    id: str
    kind: str
    content: str
    published: date
    title: str
    url: str
    topic: str
    dup_of: str | None = None
    dup_kind: str | None = None
    body: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return ".html" if self.kind == "html" else ".txt"

    def to_record(self) -> dict[str, Any]:
        """A JSONL record khabar reads (`text` or `html`, id, url, title, published) plus the truth fields."""
        record: dict[str, Any] = {"id": self.id, "url": self.url, "published": self.published.isoformat()}
        record["html" if self.kind == "html" else "text"] = self.content
        record.update(topic=self.topic, dup_of=self.dup_of, dup_kind=self.dup_kind)
        return record


def example_parts() -> tuple[list[str], list[str]]:
    """Paragraphs and headings of the bundled example article (its first copy, without teasers)."""
    lines = [line.strip() for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    first = lines[: len(lines) // 2]
    paragraphs = [line for line in first if len(line) > 200]
    headings = [line for line in first if len(line) <= 200 and not line.startswith("ये भी")]
    return paragraphs, headings


class _Filler:
    """Fills placeholders with one article's choice of names, places, numbers and dates."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        p1, p2 = rng.sample(PEOPLE, 2)
        t1, t2 = rng.sample(TEAMS, 2)
        day = rng.randint(1, 28)
        self.values = {
            "P": p1,
            "P2": p2,
            "CITY": rng.choice(CITIES),
            "STATE": rng.choice(STATES),
            "ORG": rng.choice(ORGS),
            "TEAM": t1,
            "TEAM2": t2,
            "WEEKDAY": rng.choice(WEEKDAYS),
            "DATE": f"{day} {rng.choice(MONTHS)}",
            "AGENCY": rng.choice(AGENCIES),
        }

    def __call__(self, template: str) -> str:
        def repl(match: re.Match[str]) -> str:
            key = match.group(1)
            if key == "N":
                return str(self.rng.choice([self.rng.randint(2, 99), self.rng.randint(100, 5000)]))
            if key == "H":
                topic = self.rng.choice(list(TOPICS))
                return _Filler(self.rng)(self.rng.choice(TOPICS[topic][0]))
            return self.values[key]

        return re.sub(r"\{([A-Z0-9]+)\}", repl, template)


def _vary_example(text: str, rng: random.Random) -> str:
    """The example's text with its leaders swapped and its numbers changed."""
    for name in ("जेलेंस्की", "मैक्रों"):
        text = text.replace(name, rng.choice(LEADERS))
    return re.sub(r"\b\d+\b", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 9))), text)


def _article(rng: random.Random, index: int, options: CorpusOptions) -> CorpusDoc:
    fill = _Filler(rng)
    topic = rng.choice([*TOPICS, "example"])
    if topic == "example":
        paragraphs, headings = example_parts()
        body_paras = [_vary_example(p, rng) for p in paragraphs]
        rng.shuffle(body_paras)
        subheads = [_vary_example(h, rng) for h in headings]
        title = subheads[0] if subheads else "यूक्रेन युद्ध पर बैठक"
    else:
        heads, subs, paras = TOPICS[topic]
        body_paras = [fill(p) for p in rng.sample(paras, rng.randint(2, len(paras)))]
        subheads = [fill(s) for s in rng.sample(subs, len(subs))]
        title = fill(rng.choice(heads))
    # Body: paragraphs with a subheading before some of them (never the first).
    body: list[str] = []
    for i, para in enumerate(body_paras):
        if i and subheads and rng.random() < 0.5:
            body.append(subheads.pop())
        body.append(para)
    boilerplate: list[str] = []
    lines: list[str] = []
    if rng.random() < 0.4:
        byline = fill("रिपोर्ट: {P}, {CITY}")
        lines.append(byline)
        boilerplate.append(byline)
    for i, line in enumerate(body):
        lines.append(line)
        if i < len(body) - 1 and rng.random() < 0.3:
            teaser = fill(rng.choice(TEASER_TEMPLATES))
            lines.append(teaser)
            boilerplate.append(teaser)
    if rng.random() < 0.5:
        extra = fill(rng.choice(EXTRA_BOILERPLATE))
        lines.append(extra)
        boilerplate.append(extra)
    if rng.random() < options.doubled:
        lines = lines + lines
    published = options.start + timedelta(days=rng.randrange(options.days))
    doc_id = f"syn{index:06d}"
    url = f"https://khabar.example/{topic}/{published.isoformat()}/{doc_id}"
    kind = "html" if rng.random() < options.html else "text"
    content = _html_page(title, lines, body, published) if kind == "html" else "\n".join(lines) + "\n"
    if kind == "html":
        boilerplate.append("© 2026 खबर मीडिया")
    return CorpusDoc(doc_id, kind, content, published, title, url, topic, body=body, boilerplate=boilerplate)


def _html_page(title: str, lines: list[str], body: list[str], published: date) -> str:
    """A news page around the lines: nav, h1, p per paragraph, h2 per subheading, a footer."""
    paragraphs = set(p for p in body if len(p) > 120)
    headings = set(body) - paragraphs
    parts = [
        "<!doctype html>",
        '<html lang="hi"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} | खबर</title>",
        f'<meta property="article:published_time" content="{published.isoformat()}T09:00:00+05:30">',
        "</head><body>",
        '<header><nav><a href="/">होम</a> <a href="/desh">देश</a> <a href="/khel">खेल</a></nav></header>',
        "<main><article>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for line in lines:
        tag = "h2" if line in headings else "p"
        parts.append(f"<{tag}>{html.escape(line)}</{tag}>")
    parts += [
        "</article></main>",
        '<aside><h3>लोकप्रिय</h3><ul><li><a href="/1">आज का राशिफल</a></li><li><a href="/2">सोने का भाव</a></li></ul></aside>',
        "<footer><p>© 2026 खबर मीडिया</p></footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _near_copy(doc: CorpusDoc, rng: random.Random, index: int, options: CorpusOptions) -> CorpusDoc:
    """A copy with one sentence dropped from a paragraph and a number in it changed (the markup of an
    HTML page is left alone)."""
    content = doc.content
    body = list(doc.body)
    paras = [p for p in doc.body if len(p) > 120]
    if paras:
        para = rng.choice(paras)
        sentences = re.split(r"(?<=[।.])\s+", para)
        drop = rng.randrange(len(sentences)) if len(sentences) > 1 else -1
        changed = " ".join(s for i, s in enumerate(sentences) if i != drop)
        changed = re.sub(r"\b\d{2,3}\b", lambda m: str(int(m.group()) + 1), changed, count=1)
        old = html.escape(para) if doc.kind == "html" else para
        content = content.replace(old, html.escape(changed) if doc.kind == "html" else changed, 1)
        body = [changed if block == para else block for block in body]
    return _copy(doc, content, index, "near", options, rng, body)


def _copy(
    doc: CorpusDoc,
    content: str,
    index: int,
    dup_kind: str,
    options: CorpusOptions,
    rng: random.Random,
    body: list[str] | None = None,
) -> CorpusDoc:
    doc_id = f"syn{index:06d}"
    published = doc.published + timedelta(days=rng.randint(0, 2))
    return CorpusDoc(
        doc_id,
        doc.kind,
        content,
        published,
        doc.title,
        f"https://mirror.example/{doc.topic}/{doc_id}",
        doc.topic,
        dup_of=doc.id,
        dup_kind=dup_kind,
        body=doc.body if body is None else body,
        boilerplate=doc.boilerplate,
    )


def generate(options: CorpusOptions | None = None) -> Iterator[CorpusDoc]:
    """Yield `options.n` articles, deterministic for a seed; planted duplicates point at earlier originals."""
    opts = options or CorpusOptions()
    rng = random.Random(opts.seed)
    originals: list[CorpusDoc] = []
    for index in range(opts.n):
        if originals and rng.random() < opts.duplicates:
            source = rng.choice(originals)
            if rng.random() < opts.near_share:
                yield _near_copy(source, rng, index, opts)
            else:
                yield _copy(source, source.content, index, "exact", opts, rng)
            continue
        doc = _article(rng, index, opts)
        originals.append(doc)
        yield doc


def write_corpus(out: Path, options: CorpusOptions) -> dict[str, Any]:
    """Write a JSONL file (OUT ends in .jsonl) or a folder of .txt/.html files plus truth.json."""
    counts = {"articles": 0, "html": 0, "exact": 0, "near": 0}
    truth: list[dict[str, Any]] = []
    if out.suffix == ".jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            for doc in generate(options):
                handle.write(json.dumps(doc.to_record(), ensure_ascii=False) + "\n")
                _count(counts, doc)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for doc in generate(options):
            (out / f"{doc.id}{doc.suffix}").write_text(doc.content, encoding="utf-8")
            truth.append(
                {
                    "id": doc.id,
                    "file": f"{doc.id}{doc.suffix}",
                    "dup_of": doc.dup_of,
                    "dup_kind": doc.dup_kind,
                }
            )
            _count(counts, doc)
        # truth.json (not .jsonl, so that `khabar analyze OUT_DIR` does not read it as articles).
        (out / "truth.json").write_text(json.dumps(truth, indent=0) + "\n", encoding="utf-8")
    counts["sha1"] = _digest(out)
    return counts


def _count(counts: dict[str, Any], doc: CorpusDoc) -> None:
    counts["articles"] += 1
    counts["html"] += doc.kind == "html"
    if doc.dup_kind:
        counts[doc.dup_kind] += 1


def _digest(out: Path) -> str:
    files = [out] if out.is_file() else sorted(p for p in out.iterdir() if p.is_file())
    digest = hashlib.sha1()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "out", type=Path, help="OUT.jsonl for one JSONL file, else a folder of .txt/.html files"
    )
    parser.add_argument("--n", type=int, default=300, help="number of articles (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--html", type=float, default=0.2, help="share of HTML pages (default 0.2)")
    parser.add_argument(
        "--duplicates", type=float, default=0.1, help="share of planted duplicates (default 0.1)"
    )
    parser.add_argument(
        "--near", type=float, default=0.5, help="share of planted duplicates that are near (0.5)"
    )
    args = parser.parse_args(argv)
    options = CorpusOptions(
        n=args.n, seed=args.seed, html=args.html, duplicates=args.duplicates, near_share=args.near
    )
    print(json.dumps(write_corpus(args.out, options), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
