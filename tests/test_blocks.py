"""Block splitting and classification: paragraph, heading, boilerplate, duplicate."""

from __future__ import annotations

import pytest

from khabar.clean.blocks import (
    assemble_text,
    block_key,
    boilerplate_rules,
    classify_blocks,
    is_heading_like,
    match_boilerplate,
    split_text_blocks,
)

PARA = "पटना में सोमवार को भारी बारिश से कई इलाकों में जलभराव हो गया। नगर निगम ने पानी निकालने का काम शुरू किया।"
PARA2 = "जिलाधिकारी ने बताया कि मंगलवार को सभी स्कूल बंद रहेंगे। लोगों से घरों में रहने की अपील की गई है।"


def kinds(lines: list[str]) -> list[str]:
    return [b.kind for b in classify_blocks(lines)]


@pytest.mark.parametrize(
    "line",
    [
        "ये भी पढ़ें: दिल्ली में ठंड ने तोड़ा 10 साल का रिकॉर्ड",
        "यह भी पढ़ें- बिहार में शिक्षकों की भर्ती का रास्ता साफ",
        "इसे भी पढ़ें | मुंबई में धूप खिली",
        "और पढ़ें",
        "Also Read: Budget 2026 की बड़ी घोषणाएं",
        "ALSO READ | सेंसेक्स में उछाल",
    ],
)
def test_teaser_line_is_boilerplate(line: str) -> None:
    assert match_boilerplate(line) == "teaser"


def test_teaser_word_inside_a_word_is_not_a_teaser() -> None:
    assert match_boilerplate("और पढ़ेंगे बच्चे, सरकार ने बढ़ाया बजट") is None


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("देखें वीडियो: संसद में हंगामा", "video"),
        ("हमें फेसबुक पर फॉलो करें", "follow"),
        ("ताजा खबरों के लिए हमारे व्हाट्सएप चैनल से जुड़ें", "follow"),
        ("Follow us on Google News", "follow"),
        ("इस खबर को शेयर करें", "share"),
        ("Facebook | Twitter | WhatsApp", "share"),
        ("रिपोर्ट: अमित कुमार, पटना", "byline"),
        ("Edited By: Pradeep Kumar | Updated: 06 Jan 2026", "byline"),
        ("By Rahul Sharma", "byline"),
        ("(इनपुट: भाषा)", "credit"),
        ("(भाषा इनपुट के साथ)", "credit"),
        ("अपडेटेड: 06 जनवरी 2026, 10:30 AM IST", "timestamp"),
        ("06 Jan 2026, 10:30 AM IST", "timestamp"),
        ("फोटो: पीटीआई", "photo"),
        ("फोटो साभार: सोशल मीडिया", "photo"),
        ("सांकेतिक तस्वीर", "photo"),
        ("© 2026 खबर मीडिया. सर्वाधिकार सुरक्षित.", "copyright"),
        ("Advertisement", "ad"),
        ("***", "separator"),
    ],
)
def test_boilerplate_patterns(line: str, label: str) -> None:
    assert match_boilerplate(line) == label


@pytest.mark.parametrize(
    "line",
    [
        "लेखक संघ ने किया विरोध",
        "पीएम मोदी ने सोमवार को कहा कि सरकार किसानों के साथ है।",
        "अदालत ने कहा कि कॉपीराइट कानून का उल्लंघन गंभीर मामला है और कंपनी को दो महीने के भीतर जवाब देना होगा। "
        "मामले की अगली सुनवाई 15 फरवरी को होगी और तब तक फिल्म की रिलीज पर रोक रहेगी।",
        "प्रधानमंत्री ने युवाओं से कहा कि वे सोशल मीडिया पर देश की उपलब्धियों को शेयर करें, फॉलो करें और दूसरों को "
        "भी जोड़ें ताकि सही जानकारी हर घर तक पहुंचे और अफवाहों पर रोक लगे। इस मौके पर कई मंत्री भी मौजूद थे।",
    ],
)
def test_ordinary_lines_are_not_boilerplate(line: str) -> None:
    assert match_boilerplate(line) is None


def test_boilerplate_table_loads_with_labels() -> None:
    labels = {rule.label for rule in boilerplate_rules()}
    assert {"teaser", "video", "follow", "share", "byline", "photo", "copyright"} <= labels


def test_short_line_without_stop_is_heading() -> None:
    assert kinds([PARA, "स्कूल बंद रहेंगे", PARA2]) == ["paragraph", "heading", "paragraph"]


def test_short_question_line_is_heading() -> None:
    assert is_heading_like("बैठक में कौन-कौन मौजूद?")


def test_short_line_with_full_stop_is_paragraph() -> None:
    assert kinds(["बारिश से लोग परेशान हैं।"]) == ["paragraph"]
    assert kinds(["बारिश से लोग परेशान हैं."]) == ["paragraph"]


def test_long_line_without_stop_is_paragraph() -> None:
    line = " ".join(["बारिश"] * 30)
    assert kinds([line]) == ["paragraph"]


def test_html_heading_hint_makes_heading() -> None:
    blocks = classify_blocks(["स्कूल बंद रहेंगे।", PARA], hints=["heading", None])
    assert [b.kind for b in blocks] == ["heading", "paragraph"]


def test_exact_repeat_is_duplicate_and_first_copy_kept() -> None:
    blocks = classify_blocks([PARA, PARA2, PARA])
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "duplicate"]
    assert blocks[2].duplicate_of == 0
    assert blocks[2].rule == "exact"


def test_repeat_with_other_punctuation_and_spelling_is_duplicate() -> None:
    variant = PARA.replace("।", ".").replace("ज", "ज़", 1)
    blocks = classify_blocks([PARA, variant])
    assert blocks[1].kind == "duplicate"


def test_near_repeat_with_a_word_changed_is_duplicate() -> None:
    variant = PARA.replace("भारी", "तेज")
    blocks = classify_blocks([PARA, variant])
    assert blocks[1].kind == "duplicate"
    assert blocks[1].rule == "near"


def test_different_paragraph_on_same_topic_is_not_duplicate() -> None:
    assert kinds([PARA, PARA2]) == ["paragraph", "paragraph"]


def test_repeated_teaser_is_duplicate() -> None:
    teaser = "ये भी पढ़ें: दिल्ली में ठंड ने तोड़ा रिकॉर्ड"
    assert kinds([teaser, PARA, teaser]) == ["boilerplate", "paragraph", "duplicate"]


def test_block_key_keeps_vowel_signs() -> None:
    assert block_key("कि वह आया") != block_key("का वह आया")
    assert block_key("यहाँ ज़्यादा") == block_key("यहां ज्यादा")


def test_clean_text_is_kept_blocks_with_blank_lines_and_offsets() -> None:
    blocks = classify_blocks(["ये भी पढ़ें: कुछ और", "स्कूल बंद रहेंगे", PARA])
    text, placed = assemble_text(blocks)
    assert text == "स्कूल बंद रहेंगे\n\n" + PARA
    for block in placed:
        if block.kept:
            assert block.start is not None and block.end is not None
            assert text[block.start : block.end] == block.text
        else:
            assert block.start is None


def test_every_nonempty_line_is_a_block() -> None:
    assert split_text_blocks("पहली पंक्ति।\n\n  \nदूसरी पंक्ति।\r\nतीसरी") == ["पहली पंक्ति।", "दूसरी पंक्ति।", "तीसरी"]


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    para1 = (
        "पटना में सोमवार को हुई भारी बारिश से शहर के कई निचले इलाकों में\n"
        "जलभराव हो गया और लोगों को घरों से निकलने में काफी दिक्कत का\n"
        "सामना करना पड़ा। नगर निगम ने पंप लगाए।"
    )
    para2 = (
        "मौसम विभाग ने अगले दो दिनों तक राज्य के कई जिलों में भारी बारिश\n"
        "की चेतावनी जारी की है और लोगों से सावधान रहने की अपील की है।"
    )
    blocks = split_text_blocks(para1 + "\n\n" + para2)
    assert len(blocks) == 2
    assert blocks[0].startswith("पटना") and blocks[0].endswith("पंप लगाए।")
