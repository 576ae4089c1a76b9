"""Near-duplicate clusters: planted copies join their original; templated reports and shared background stay apart."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from khabar.dedup.evaluate import evaluate_corpus
from khabar.dedup.minhash import normalize_dedup, text_hash, word_shingles
from khabar.dedup.verify import compare_texts, is_same_story
from khabar.ingest.runner import ingest_paths
from khabar.store.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]

STORY = (
    "पटना में बाढ़ से हालात बिगड़े, 40 गांव डूबे\n\n"
    "बिहार की राजधानी पटना के आसपास गंगा का जलस्तर खतरे के निशान से 90 सेंटीमीटर ऊपर पहुंच गया है. "
    "जिला प्रशासन ने दानापुर और बाढ़ प्रखंड के 40 गांवों को खाली कराने का आदेश दिया है. "
    "राहत शिविरों में करीब 12 हजार लोगों के रहने और खाने की व्यवस्था की गई है.\n\n"
    "आपदा राहत बल की 8 टीमें नावों के साथ प्रभावित इलाकों में तैनात हैं. "
    "जिलाधिकारी ने बताया कि पीने के पानी और दवाओं की कमी नहीं होने दी जाएगी. "
    "मौसम विभाग ने अगले दो दिनों तक भारी बारिश का अनुमान जताया है.\n\n"
    "किसानों का कहना है कि धान की फसल पूरी तरह बर्बाद हो गई है. "
    "कृषि विभाग नुकसान का आकलन करने के लिए सर्वे शुरू करेगा. "
    "सरकार ने प्रभावित परिवारों को छह हजार रुपये की तत्काल सहायता देने की घोषणा की है.\n"
)
BACKGROUND = (
    "गौरतलब है कि पटना जिले की आबादी करीब 58 लाख है और यहां 23 प्रखंड हैं. "
    "जिले की अर्थव्यवस्था मुख्य रूप से खेती और व्यापार पर निर्भर है. "
    "पिछली जनगणना के अनुसार यहां साक्षरता दर 70 प्रतिशत है."
)


def report(city: str, high: int, low: int, humid: int, aqi: int) -> str:
    """A daily weather report written to one template."""
    return (
        f"{city} का मौसम: आज अधिकतम तापमान {high} डिग्री\n\n"
        f"{city} में आज अधिकतम तापमान {high} डिग्री और न्यूनतम तापमान {low} डिग्री सेल्सियस दर्ज किया गया. "
        f"हवा में नमी का स्तर सुबह {humid} प्रतिशत रहा. "
        f"वायु गुणवत्ता सूचकांक {aqi} दर्ज किया गया जिसे मध्यम श्रेणी में रखा जाता है.\n\n"
        "मौसम विभाग ने लोगों को सुबह और देर रात हल्की ठंड से बचने की सलाह दी है.\n"
    )


def test_normalisation_keeps_vowel_signs_and_drops_punctuation() -> None:
    assert normalize_dedup("किसान, कि सान!") == "किसान कि सान"
    assert "किसान नेता ने" in word_shingles("किसान नेता ने कहा.")


def test_exact_hash_ignores_punctuation_and_spacing() -> None:
    assert text_hash("पटना में बाढ़ आई.") == text_hash("पटना  में बाढ़ आई")


def test_truncated_and_reordered_copies_are_the_same_story() -> None:
    paras = STORY.split("\n\n")
    half = STORY[: STORY.rfind(" ", 0, len(STORY) // 2)]
    reordered = "\n\n".join([paras[0], paras[3], paras[1], paras[2]])
    assert is_same_story(compare_texts(STORY, half))
    assert is_same_story(compare_texts(STORY, reordered))


def test_templated_reports_are_different_stories() -> None:
    a = report("लखनऊ", 24, 9, 71, 143)
    b = report("कानपुर", 22, 8, 65, 188)
    assert not is_same_story(compare_texts(a, b))


def test_same_city_report_with_new_figures_is_a_different_story() -> None:
    monday = report("लखनऊ", 24, 9, 71, 143) + "यह जानकारी मौसम केंद्र की ओर से रोज सुबह जारी की जाती है.\n"
    tuesday = report("लखनऊ", 26, 11, 64, 151) + "यह जानकारी मौसम केंद्र की ओर से रोज सुबह जारी की जाती है.\n"
    score = compare_texts(monday, tuesday)
    assert score.figure_conflicts >= 2
    assert not is_same_story(score)


def test_copy_with_one_figure_changed_is_the_same_story() -> None:
    changed = STORY.replace("12 हजार", "13 हजार")
    assert is_same_story(compare_texts(STORY, changed))


def test_shared_background_paragraph_does_not_make_a_duplicate() -> None:
    other = (
        "पटना में नए पुल का शिलान्यास\n\n"
        "मुख्यमंत्री ने सोमवार को गंगा पर बनने वाले नए छह लेन पुल का शिलान्यास किया. "
        "पुल की लंबाई करीब 9 किलोमीटर होगी और इस पर 3 हजार करोड़ रुपये खर्च होंगे. "
        "अधिकारियों के मुताबिक निर्माण कार्य चार साल में पूरा होगा.\n\n"
        "पुल बनने से उत्तर बिहार से राजधानी आने में लगने वाला समय आधा रह जाएगा. "
        "स्थानीय व्यापारियों ने इस घोषणा का स्वागत किया है."
    )
    with_bg = STORY + "\n" + BACKGROUND + "\n"
    assert not is_same_story(compare_texts(with_bg, other + "\n\n" + BACKGROUND))


def template_story(city: str, state: str, leader: str, officer: str) -> str:
    """A story written to sentence templates: another city, state and people give another story."""
    return (
        f"{city} में किसानों का धरना जारी\n\n"
        f"{city} की कृषि उपज मंडी में गेहूं की सरकारी खरीद अब तक शुरू नहीं हो सकी है. "
        f"किसान नेता {leader} ने चेतावनी दी कि मांगें न मानी गईं तो राजमार्ग जाम किया जाएगा.\n\n"
        f"खाद्य विभाग के अधिकारी {officer} ने बताया कि बारदाने की कमी के कारण खरीद में देरी हुई है. "
        f"किसान संगठनों ने {state} सरकार से बोनस देने की मांग भी की है.\n"
    )


def test_stories_written_to_one_template_with_other_names_are_different_stories() -> None:
    kanpur = template_story("कानपुर", "उत्तर प्रदेश", "रमेश कुमार", "सुनीता देवी")
    bhopal = template_story("भोपाल", "मध्य प्रदेश", "अजय प्रताप सिंह", "नेहा गुप्ता")
    # most 3-grams of each sentence are shared, but not its names and places
    assert not is_same_story(compare_texts(kanpur, bhopal))
    respelled = kanpur.replace("गेहूं", "गेहूँ").replace("ज्यादा", "ज़्यादा").replace("सुनीता", "सुनिता")
    assert is_same_story(compare_texts(kanpur, respelled))


def test_new_lead_over_the_body_with_a_sentence_dropped_after_the_old_lead_is_the_same_story() -> None:
    second, third = STORY.strip().split("\n\n")[2:]
    new_lead = "पटना से मिली जानकारी के मुताबिक गंगा के बढ़ते जलस्तर से दानापुर के गांवों में हालात बिगड़ गए हैं."
    shorter = second.split(". ", 1)[1]  # the desk dropped the first sentence after the old lead
    for opening in (new_lead, new_lead + " हमारे संवाददाता के अनुसार प्रशासन राहत के काम में जुटा है."):
        rerun = "\n\n".join(["पटना में बाढ़: पूरी खबर", opening, shorter, third]) + "\n"
        assert is_same_story(compare_texts(STORY, rerun)), opening


def test_doubled_teaser_and_html_copies_cluster_with_original(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "original.txt").write_text(STORY, encoding="utf-8")
    (folder / "doubled.txt").write_text(STORY + "\n" + STORY, encoding="utf-8")
    paras = STORY.split("\n\n")
    teaser = "\n\n".join([paras[0], paras[1], "ये भी पढ़ें: पटना में जाम से लोग परेशान", *paras[2:]])
    (folder / "teaser.txt").write_text(teaser + "\nहमें फेसबुक पर फॉलो करें\n", encoding="utf-8")
    body = "".join(f"<p>{p}</p>" for p in paras[1:])
    page = f"<!DOCTYPE html><html><body><nav>होम देश</nav><article><h1>{paras[0]}</h1>{body}</article></body></html>"
    (folder / "wrapped.html").write_text(page, encoding="utf-8")
    (folder / "report.txt").write_text(report("पटना", 31, 22, 80, 120), encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(folder)], db, workers=1)
    with KnowledgeBase(db, readonly=True) as kb:
        groups = kb.duplicates()
    assert len(groups) == 1
    names = sorted(Path(a["source"]).name for a in groups[0]["articles"])
    assert names == ["doubled.txt", "original.txt", "teaser.txt", "wrapped.html"]


def load_corpus_maker() -> Any:
    spec = importlib.util.spec_from_file_location("dedup_corpus", ROOT / "bench" / "dedup_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_corpus


@pytest.mark.slow
def test_planted_corpus_meets_precision_and_recall(tmp_path: Path) -> None:
    load_corpus_maker()(tmp_path, 7)
    result = evaluate_corpus(tmp_path)
    assert result["documents"] >= 300
    assert result["khabar"]["precision"] >= 0.98
    assert result["khabar"]["recall"] >= 0.95
    assert result["khabar"]["recall"] > result["minhash_lsh_default"]["recall"]
    assert result["khabar"]["recall"] > result["exact_hash"]["recall"]


def test_word_by_word_fold_is_the_fold_of_the_whole_text() -> None:
    """`fold_words` folds each word through a cache; no fold reaches across a space, so the result is
    the skeleton key of the whole text, on words with nukta, halant, doubled and nasal clusters, ZWJ,
    vocalic r, glide spellings, punctuation and digits, and marks left after a space."""
    import random

    from khabar.analysis.namekey import skeleton_key
    from khabar.dedup.minhash import fold_words

    words = [
        "ज़्यादा",
        "ज्यादा",
        "कृष्ण",
        "ऋषि",
        "गये",
        "जायेगा",
        "पत्ता",
        "हिन्दी",
        "हिंदी",
        "गंगा",
        "सम्मान",
        "क्‍या",
        "श्री.",
        "(भारत)",
        "2,500",
        "१२३",
        "Modi's",
        "ॉफिस",
        "\u093c",
        "\u094d",
        "यी",
        "मॉल",
        "कर्\u200dम",
        "दिल्ली-मुंबई",
        "“कहा”",
        "आयोग:",
        "Q3052772",
        "ष्ट्र",
    ]
    rng = random.Random(7)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 9)))
        assert fold_words(text) == skeleton_key(text), text


def test_stored_features_read_back_equal_and_other_versions_are_recomputed() -> None:
    from khabar.dedup.feature_codec import (
        features_from_bytes,
        features_to_bytes,
        fingerprint_with_features,
    )
    from khabar.dedup.minhash import fingerprint_text
    from khabar.dedup.verify import text_features

    for text in (STORY, STORY + "\n\n" + BACKGROUND, report("लखनऊ", 31, 18, 64, 142), "एक"):
        blob = features_to_bytes(text_features(text))
        assert features_from_bytes(blob) == text_features(text)
        # the fingerprint made with the features is the plain one
        with_features = fingerprint_with_features(text)
        plain = fingerprint_text(text)
        assert (
            with_features.text_hash,
            with_features.minhash,
            with_features.sentences,
            with_features.words,
        ) == (
            plain.text_hash,
            plain.minhash,
            plain.sentences,
            plain.words,
        )
        assert features_from_bytes(with_features.features) == text_features(text)
    blob = features_to_bytes(text_features(STORY))
    assert features_from_bytes(blob[:2] + bytes([blob[2] + 1]) + blob[3:]) is None
    assert features_from_bytes(None) is None and features_from_bytes(b"") is None
