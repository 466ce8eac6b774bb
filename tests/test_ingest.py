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
