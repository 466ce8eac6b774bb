"""Ingest keeps offsets into the decoded text whatever the encoding and line ends."""
from __future__ import annotations

import pytest

from extract.errors import InputError
from extract.read.ingest import ingest

SAMPLE = "Contact details:\nMs Orna Mager \u2013 Head\u00a0of it \u2018Learning\u2019"


@pytest.mark.parametrize("name,data", [
    ("utf8", SAMPLE.encode("utf-8")),
    ("bom", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")),
    ("crlf", SAMPLE.replace("\n", "\r\n").encode("utf-8")),
    ("cr", SAMPLE.replace("\n", "\r").encode("utf-8")),
    ("utf16", SAMPLE.encode("utf-16")),
])
def test_offsets_survive_encoding(tmp_path, name, data):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    doc = ingest(path)
    assert len(doc.match_text) == len(doc.text)
    i = doc.match_text.index("Orna Mager")
    assert doc.text[i:i + 10] == "Orna Mager"
    assert "Head of it 'Learning'" in doc.match_text
    assert doc.match_text.count("\n") == 1


@pytest.mark.parametrize("data,reason", [(b"", "empty"), (b"\x00\x01\x02binary", "binary")])
def test_unreadable(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason):
        ingest(path)


MOJIBAKE_CASES = [
    # (id, how the UTF-8 bytes were once misread)
    ("windows-1252", lambda s: s.encode("utf-8").decode("cp1252", errors="replace")),
    ("latin-1", lambda s: s.encode("utf-8").decode("latin-1")),
    ("twice", lambda s: s.encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252")),
]


@pytest.mark.parametrize("how", [c[1] for c in MOJIBAKE_CASES], ids=[c[0] for c in MOJIBAKE_CASES])
def test_mojibake_is_repaired_with_a_finding(tmp_path, rules, how):
    """UTF-8 text once decoded as Windows-1252 or Latin-1 (and saved again as
    UTF-8) reads as the original, and the run says what it repaired."""
    from extract.pipeline import document_rows

    good = "Villa María's area is 36 km² – Sønderborg, Eskişehir.\n"
    path = tmp_path / "page.txt"
    path.write_text(how(good), encoding="utf-8")
    doc = ingest(path)
    assert doc.text == good and doc.match_text.replace("'", "’") != "" and len(doc.match_text) == len(doc.text)
    assert "María" in doc.repaired
    assert doc.repaired.startswith("mojibake undone in 5 word(s)")
    findings = document_rows(path, rules)["findings"]
    assert [(f["code"], f["severity"]) for f in findings if f["code"].startswith("encoding")] == [
        ("encoding_repaired", "warning")]


def test_good_text_is_not_repaired(tmp_path):
    """Text with many accented capitals is left alone."""
    good = "ÂGE, Åland, Ødegaard, Ñandú, São Paulo, Ärzte, Éire, ÇA VA, ÀÁÂÃ at the end.\n"
    path = tmp_path / "good.txt"
    path.write_text(good, encoding="utf-8")
    doc = ingest(path)
    assert doc.text == good and doc.repaired == ""


def test_fold_returns_folded_text_as_it_is_and_folds_the_rest():
    """``fold`` skips the translation where nothing is to fold: the same
    result as translating, on text with and without each foldable character."""
    import random

    from extract.read.textutil import _FOLD, fold

    def translated(text: str) -> str:
        return text.replace("\r\n", " \n").replace("\r", "\n").translate(_FOLD)

    rng = random.Random(4)
    alphabet = ["a", "é", " ", "\n", "\t", "'", '"', "\r", "\r\n", "中", "\x1c"] + [chr(c) for c in _FOLD]
    for _ in range(2_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert fold(text) == translated(text), repr(text)
        assert fold(fold(text)) == fold(text)
    plain = "Head of it 'Learning' – é"
    assert fold(plain) is plain
