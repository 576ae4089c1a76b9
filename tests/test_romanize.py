"""The romaniser: readable English spellings with Hindi schwa deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.analysis.romanize import romanize, romanize_rules


@pytest.mark.parametrize(
    ("hindi", "latin"),
    [
        ("कमल", "kamal"),
        ("कमला", "kamla"),
        ("रामचंद्र", "ramchandra"),
        ("राजनाथ", "rajnath"),
        ("ग्रिंकेविच", "grinkevich"),
        ("भारतीय", "bhartiya"),
        ("मिश्र", "mishra"),
        ("चंपा", "champa"),
        ("ज्ञान", "gyan"),
    ],
)
def test_rules_delete_the_schwa_where_hindi_drops_it(hindi: str, latin: str) -> None:
    assert romanize_rules(hindi) == latin


def test_romanize_capitalises_each_word_and_keeps_other_text() -> None:
    assert romanize("अनिल कुमार") == "Anil Kumar"
    assert romanize("रूस-यूक्रेन 2025") == romanize("रूस") + "-" + romanize("यूक्रेन") + " 2025"


def test_a_names_spelling_style_follows_its_region() -> None:
    from khabar.analysis.translit import choose_style

    assert choose_style(["सुभाष", "विश्वास"]) == "east"  # a Bengali name: Biswas
    assert choose_style(["शुभम", "शर्मा"]) == "hindi"
    assert romanize("सुभाष विश्वास").endswith("Biswas")


def test_the_learned_model_spells_an_unseen_name() -> None:
    from khabar.analysis.translit import load_models, transliterate

    assert load_models(), "khabar train names builds lang/hi/romanize_model.tsv.gz"
    from khabar.train.names import edit_distance

    spelling = transliterate("कृपाशंकर", "hindi")  # in no word table: the model's own spelling
    assert spelling is not None and edit_distance(spelling, "kripashankar") <= 1


def test_acronyms_of_letter_names_are_capital_letters() -> None:
    assert romanize("सीबीआई") == "CBI"
    assert romanize("केएल राहुल") == "KL Rahul"


def test_nukta_letters_romanise_as_their_sounds() -> None:
    assert romanize_rules("ज़ाहिद") == "zahid"
    assert romanize_rules("फ़ैसल") == "faisal"


@pytest.mark.slow
def test_eval_romanize_reports_exact_match_and_cer(shared_data: Path) -> None:
    from khabar.eval.romanize import evaluate_romanizer

    result = evaluate_romanizer(shared_data, "dev")
    rules = evaluate_romanizer(shared_data, "dev", use_lexicon=False)
    assert result["pairs"] > 500
    assert result["exact_match"] > rules["exact_match"]
    assert 0 < result["cer"] < 20


def test_english_function_words_in_names_stay_lower_case() -> None:
    assert romanize("बैंक ऑफ इंडिया").split()[1] == "of"


def test_forced_score_of_the_models_own_spelling_is_its_decoding_score() -> None:
    import math

    from khabar.analysis.translit import decode, load_models, spelling_logprob

    model = load_models()["hindi"]
    score, spelling = decode(model, "राजेश")
    assert math.isclose(spelling_logprob(model, "राजेश", spelling), score, rel_tol=1e-9)
    assert spelling_logprob(model, "राजेश", "xyz") == -math.inf


def test_another_styles_spelling_does_not_override_the_styles_own() -> None:
    from khabar.analysis.translit import transliterate

    # तिवारी is spelled "tiwary" in the Bengal table (Manoj Tiwary): the Hindi style keeps "tiwari"
    assert transliterate("तिवारी", "hindi") == "tiwari"


def test_nbest_spellings_are_distinct_ranked_and_no_better_than_their_forced_score() -> None:
    from khabar.analysis.translit import decode_nbest, load_models, spelling_logprob

    model = load_models()["south"]
    best = decode_nbest(model, "मणिकंदन")
    spellings = [latin for _score, latin in best]
    assert len(best) > 3 and len(set(spellings)) == len(spellings)
    assert [score for score, _ in best] == sorted((score for score, _ in best), reverse=True)
    for score, latin in best:  # the forced score maximises over every alignment, the beam over some
        assert spelling_logprob(model, "मणिकंदन", latin) >= score - 1e-9


def test_reranking_weighs_the_word_table_and_the_english_side() -> None:
    from khabar.analysis.translit import Candidate, RerankWeights, choose_spelling

    guess = Candidate("akaram", -10.0, 0.0, 0.0, 0.0, -12.0)
    known = Candidate("akram", -12.0, 0.0, 0.0, 1.5, -9.0)
    assert choose_spelling([guess, known], RerankWeights(own=0, other=0, english=0, letters=0)) == "akaram"
    assert choose_spelling([guess, known], RerankWeights(own=0, other=0, english=2.0, letters=0)) == "akram"
    # a seen spelling the model cannot align scores the best candidate's log probability less `unaligned`
    seen = Candidate("md", None, 2.0, 0.0, 0.0, -8.0)
    weights = RerankWeights(own=1.0, other=0, english=0, letters=0, unaligned=1.5)
    assert choose_spelling([guess, seen], weights) == "md"
    assert (
        choose_spelling([guess, seen], RerankWeights(own=1.0, unaligned=3.0, english=0, letters=0))
        == "akaram"
    )


def test_english_letter_model_prefers_name_like_spellings() -> None:
    from khabar.analysis.english_names import build_letter_model

    model = build_letter_model({"kamran": 1, "imran": 2, "akram": 1, "akmal": 1, "karan": 1})
    assert model.logprob("amran") > model.logprob("amaran")
    assert model.logprob("kamran") > model.logprob("xqzkv")


def test_the_english_side_spells_a_bengal_name_as_english_names_do() -> None:
    from khabar.analysis.english_names import english_count
    from khabar.analysis.translit import transliterate

    assert english_count("ajmal") > 0 and english_count("roy") > english_count("ajamal")
    assert transliterate("अजमल", "east") == "ajmal"  # the Bengal model alone: "ajamal"


def test_initials_after_the_name_are_aligned_to_their_words() -> None:
    from khabar.train.names import aligned_tokens

    # the English puts the initial last, the Hindi first
    assert aligned_tokens("एम. सुरेश", "Suresh M") == [("एम", "m"), ("सुरेश", "suresh")]
    assert aligned_tokens("राम कुमार", "Ram Kumar") == [("राम", "ram"), ("कुमार", "kumar")]
    assert aligned_tokens("राम कुमार", "Ram") == []


def test_a_danda_inside_a_name_is_an_abbreviation_stop() -> None:
    assert romanize("के। कामराज") == romanize("के. कामराज") == "K. Kamaraj"


def test_english_tokens_leave_out_held_back_names(tmp_path: Path) -> None:
    import gzip

    from khabar.train.names import NamePair, split_of
    from khabar.train.translit import english_tokens, write_english_tokens

    held = next(f"राम{'क' * i}" for i in range(200) if split_of(f"राम{'क' * i}") != "train")
    train = next(f"श्याम{'क' * i}" for i in range(200) if split_of(f"श्याम{'क' * i}") == "train")
    pairs = [NamePair(held, "Ramkak", "candidates"), NamePair(train, "Shyamkak Das", "candidates")]
    counts = english_tokens(pairs, [(held, "Ramkak Heldback"), ("कोई", "Other Label")])
    assert counts["shyamkak"] == 1 and counts["das"] == 1 and counts["label"] == 1
    assert "ramkak" not in counts and "heldback" not in counts
    assert write_english_tokens(counts, tmp_path) == len(counts)
    with gzip.open(tmp_path / "romanize_english.tsv.gz", "rt", encoding="utf-8") as handle:
        assert "shyamkak\t1" in handle.read()


def test_a_person_of_hindi_news_is_read_in_the_hindi_style() -> None:
    from khabar.analysis.names_en import NEWS_HINDI_PRIOR, english_name
    from khabar.analysis.translit import choose_style

    # the style classifier alone reads जय as Bengali "Joy"
    assert english_name("जय शाह", "PERSON").name_en == "Jay Shah"
    # a clearly Bengali name keeps its style under the news prior
    assert choose_style(["सुभाष", "विश्वास"], {"hindi": NEWS_HINDI_PRIOR}) == "east"


def test_cross_validation_folds_are_stable_and_tables_are_restored(tmp_path: Path) -> None:
    import gzip

    from khabar.analysis import translit
    from khabar.eval.romanize_cv import fold_of, romanizer_tables

    assert fold_of("राम कुमार", 3) == fold_of("राम कुमार", 3)
    assert {fold_of(f"नाम{i}", 3) for i in range(30)} == {0, 1, 2}
    shipped = translit.load_models()
    with gzip.open(tmp_path / translit.MODEL_FILE, "wt", encoding="utf-8") as handle:
        handle.write("# order=2 discount=0.5\nhindi\t\tक=k\t1\n")
    with romanizer_tables(tmp_path):
        assert translit.load_models()["hindi"].order == 2
    assert translit.load_models()["hindi"].order == shipped["hindi"].order


def test_tuning_counts_whole_names_exact_under_given_weights() -> None:
    from khabar.analysis.translit import WEIGHTS
    from khabar.eval.romanize_tune import exact_count
    from khabar.train.names import NamePair

    pairs = [NamePair("अनिल कुमार", "Anil Kumar", "x"), NamePair("अनिल कुमार", "Anil Kumaar", "x")]
    assert exact_count(pairs, WEIGHTS) == 1
