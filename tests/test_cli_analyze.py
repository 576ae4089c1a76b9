"""`khabar analyze` from the command line: output shapes, error records, one-line failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from khabar.cli import app

SEED = Path(__file__).resolve().parents[1] / "examples" / "000_3ad8789db8de2740.txt"
HINDI = "पटना में सोमवार को भारी बारिश हुई। नगर निगम ने पंप लगाए।\n"
RUN_MAIN = "import sys; from khabar.cli import main; sys.argv[0] = 'khabar'; main()"


def khabar(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real entry point in a subprocess, as a person would."""
    return subprocess.run(
        [sys.executable, "-c", RUN_MAIN, *args], input=stdin, capture_output=True, timeout=120, check=False
    )


def stderr_lines(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [line for line in proc.stderr.decode("utf-8").splitlines() if line.strip()]


def test_one_path_gives_one_json_object() -> None:
    result = CliRunner().invoke(app, ["analyze", str(SEED), "--published", "2026-01-06"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("text", "blocks", "sentences", "published", "source", "language", "schema_version"):
        assert key in data
    assert data["published"] == "2026-01-06"
    assert data["source"] == str(SEED)
    assert len(data["blocks"]) == 14
    first = data["sentences"][0]
    assert data["text"][first["start"] : first["end"]].startswith("यूक्रेन के राष्ट्रपति")
    assert all(len(t) == 2 for t in first["tokens"])


def test_several_paths_give_jsonl_with_an_error_record(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(HINDI, encoding="utf-8")
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    proc = khabar("analyze", str(good), str(empty), str(tmp_path / "missing.txt"), str(SEED))
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(records) == 4
    assert records[0]["text"].startswith("पटना")
    assert records[1] == {"source": str(empty), "error": f"{empty}: empty input"}
    assert "no such file" in records[2]["error"]
    assert len(records[3]["blocks"]) == 14
    errors = stderr_lines(proc)
    assert any("empty input" in line for line in errors)
    assert any("no such file" in line for line in errors)
    assert not any("Traceback" in line for line in errors)


def test_directory_gives_jsonl(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(HINDI, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(json.loads(line)["text"] for line in lines)


def test_text_format_is_a_readable_report() -> None:
    result = CliRunner().invoke(app, ["analyze", str(SEED), "--published", "2026-01-06", "--format", "text"])
    assert result.exit_code == 0
    assert "Blocks: 14 in, 5 kept" in result.stdout
    assert "18 sentences" in result.stdout
    assert "boilerplate" in result.stdout and "duplicate" in result.stdout


def test_no_raw_leaves_raw_out() -> None:
    result = CliRunner().invoke(app, ["analyze", str(SEED), "--no-raw"])
    assert "raw" not in json.loads(result.stdout)


def test_stdin_dash_reads_standard_input() -> None:
    proc = khabar("analyze", "-", stdin=HINDI.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["source"] == "<stdin>"
    assert len(data["sentences"]) == 2


def test_non_hindi_input_is_flagged_not_failed(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("Heavy rain hit Patna on Monday. Schools will stay shut.", encoding="utf-8")
    proc = khabar("analyze", str(path))
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["language"] == "en"
    assert any("Hindi" in w for w in data["warnings"])
    assert any("warning" in line for line in stderr_lines(proc))


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", (), "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), (), "binary file"),
        (None, (), "no such file"),
        (HINDI.encode("utf-8"), ("--published", "06-01-2026"), "YYYY-MM-DD"),
        (HINDI.encode("utf-8"), ("--published", "2026-02-30"), "YYYY-MM-DD"),
        ("ये भी पढ़ें: कुछ और\n".encode(), (), "no article text"),
    ],
    ids=["empty", "binary", "missing", "bad-date-order", "bad-date-day", "only-boilerplate"],
)
def test_bad_input_exits_non_zero_with_one_line(
    tmp_path: Path, content: bytes | None, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    proc = khabar("analyze", str(path), *args)
    assert proc.returncode != 0
    lines = stderr_lines(proc)
    assert len(lines) == 1, lines
    assert lines[0].startswith("khabar: error:") and message in lines[0]
    assert proc.stdout == b""


def test_utf16_and_bom_files_give_the_same_text_as_utf8(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    variants = {
        "utf8.txt": text.encode("utf-8"),
        "utf8bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16le.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf16be.txt": b"\xfe\xff" + text.encode("utf-16-be"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--no-raw"])
    texts = {json.loads(line)["text"] for line in result.stdout.splitlines()}
    assert len(texts) == 1


def test_jsonl_input_gives_one_line_per_record(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"id": "x1", "text": HINDI, "published": "2026-01-05"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "x2", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    proc = khabar("analyze", str(path))
    assert proc.returncode == 1
    first, second = (json.loads(line) for line in proc.stdout.decode().splitlines())
    assert first["id"] == "x1" and first["published"] == "2026-01-05"
    assert second["error"].startswith(f"{path}:2")


def test_a_failing_step_in_a_batch_becomes_an_error_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import khabar.pipeline

    real = khabar.pipeline.analyze_doc

    def flaky(doc: Any, published: Any = None, steps: Any = None, **kwargs: Any) -> Any:
        if doc.source.endswith("b.txt"):
            raise RuntimeError("step broke")
        return real(doc, published, steps, **kwargs)

    monkeypatch.setattr(khabar.pipeline, "analyze_doc", flaky)
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(HINDI, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [("error" in r) for r in records] == [False, True, False]
    assert "internal error" in records[1]["error"] and "step broke" in records[1]["error"]
