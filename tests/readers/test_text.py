"""Plain-text reader: encodings, BOMs, binary input, exact text."""

import codecs

import pytest

from clause_audit.readers import ReadError, read_bytes, read_path

AGREEMENT = "第一条 本平台會員服务一经开通，不予退款。\n第二条 用户可随时取消自动续费。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (AGREEMENT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + AGREEMENT.encode("utf-8"), "utf-8-sig"),
        (AGREEMENT.encode("gb18030"), "gb18030"),
        (AGREEMENT.encode("utf-16-le") and codecs.BOM_UTF16_LE + AGREEMENT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + AGREEMENT.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "utf16le-bom", "utf16be-bom"],
)
def test_encodings_decode_to_the_same_text(data, encoding):
    doc = read_bytes(data, "a.txt")
    assert doc.text == AGREEMENT
    assert doc.encoding == encoding


def test_gbk_file_is_read_as_gb18030():
    text = "本平台销售的虚拟商品一经售出概不退换，请谨慎购买。充值余额有效期为一年。"
    doc = read_bytes(text.encode("gbk"), "a.txt")
    assert doc.text == text and doc.encoding == "gb18030"


def test_big5_traditional_agreement():
    text = "本公司保留對本活動的最終解釋權。會員服務一經開通，恕不退款。用戶應妥善保管帳號密碼。"
    doc = read_bytes(text.encode("big5"), "a.txt")
    assert doc.text == text and doc.encoding == "big5"


def test_text_is_the_file_exactly_with_crlf():
    text = "第一条 甲。\r\n第二条 乙。\r\n"
    doc = read_bytes(text.encode(), "a.txt")
    assert doc.text == text
    assert doc.source_map.position(text.index("乙")) == (2, 5)


@pytest.mark.parametrize("data", [bytes(range(256)) * 16, b"PK\x03\x04" + b"\x00\x01" * 500,
                                  b"\x89PNG\r\n\x1a\n" + bytes(200)],
                         ids=["all-bytes", "zip", "png"])
def test_binary_input_is_refused_with_one_line(data):
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.txt")
    assert "x.txt" in str(err.value) and "\n" not in str(err.value)


def test_undecodable_bytes_are_refused():
    with pytest.raises(ReadError, match="编码"):
        read_bytes(b"\x81\x20" * 50, "bad.txt")


def test_empty_file_reads_as_empty_document(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert read_path(str(p)).text == ""


def test_missing_file_and_directory_are_clear_errors(tmp_path):
    with pytest.raises(ReadError, match="不存在"):
        read_path(str(tmp_path / "nope.txt"))
    with pytest.raises(ReadError, match="目录"):
        read_path(str(tmp_path))


def test_unsupported_office_format_says_so():
    with pytest.raises(ReadError, match="docx"):
        read_bytes(b"PK\x03\x04", "合同.docx")


@pytest.mark.parametrize("text", ["退款", "不退款", "会员", "价格€10，概不退款。", "本商品一经售出，概不退换。"])
def test_short_gbk_texts_are_not_taken_for_big5(text):
    data = text.encode("gb18030")
    assert read_bytes(data, "a.txt").text == text


@pytest.mark.parametrize("text", ["概不負責", "會員費用不予退還。", "本公司保留最終解釋權"])
def test_short_big5_texts_are_not_taken_for_gbk(text):
    assert read_bytes(text.encode("big5"), "a.txt").text == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding):
    doc = read_bytes(AGREEMENT.encode(encoding), "a.txt")
    assert doc.text == AGREEMENT and doc.encoding == encoding


def test_utf32_with_bom():
    doc = read_bytes(AGREEMENT.encode("utf-32"), "a.txt")
    assert doc.text == AGREEMENT and doc.encoding == "utf-32"


def test_dos_end_of_file_mark_is_not_binary():
    assert read_bytes("会员费不退。\x1a".encode(), "a.txt").text == "会员费不退。\x1a"


def test_html_on_stdin_with_bom_or_leading_comment_is_sniffed():
    for data in (b"\xef\xbb\xbf<!DOCTYPE html><p>x</p>", b"<!-- saved from url -->\n<html><p>x</p></html>"):
        assert read_bytes(data, "<stdin>").format == "html"
