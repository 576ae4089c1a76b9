"""Small Hindi corpora for the corpus, store, dedup and search tests (written for these tests)."""

from __future__ import annotations

from pathlib import Path

CITIES = ("लखनऊ", "पटना", "भोपाल", "जयपुर", "रांची", "इंदौर", "कानपुर", "आगरा", "मेरठ", "गया")
CROPS = ("गेहूं", "धान", "सरसों", "चना", "मक्का", "बाजरा", "अरहर", "गन्ना", "कपास", "सोयाबीन")


def story(i: int) -> str:
    """A distinct short news story (headline + two paragraphs); different `i`, different story."""
    city, crop = CITIES[i % len(CITIES)], CROPS[(i * 3 + 1) % len(CROPS)]
    n = 100 + i * 37
    return (
        f"{city} मंडी में {crop} की खरीद पर विवाद {i}\n\n"
        f"{city} की कृषि उपज मंडी में {crop} की सरकारी खरीद {n} दिन से अटकी है. "
        f"किसान नेताओं ने कहा कि {n * 2} किसान अपनी उपज लेकर इंतजार कर रहे हैं. "
        f"मंडी समिति के सचिव ने {i + 3} नए खरीद केंद्र खोलने का भरोसा दिया.\n\n"
        f"प्रशासन ने बताया कि {crop} का भुगतान {i + 5} दिनों में खातों में भेजा जाएगा. "
        f"किसानों ने {city} में धरना खत्म करने से पहले लिखित आश्वासन मांगा है.\n"
    )


def write_stories(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write `count` distinct stories as .txt files; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"story_{i:04d}.txt"
        path.write_text(story(i), encoding="utf-8")
        paths.append(path)
    return paths
