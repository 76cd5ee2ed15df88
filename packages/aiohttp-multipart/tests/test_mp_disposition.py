"""Content-Disposition: RFC 6266, RFC 8187/5987, RFC 2231 continuations, RFC 7578."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_multipart import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    content_disposition_filename,
    parse_content_disposition,
)
from aiohttp_multipart._disposition import (
    _parse_general,
    format_content_disposition,
    parse_content_type,
)

# -- parse_content_disposition: well-formed input --------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("inline", ("inline", {})),
        ("INLINE", ("inline", {})),
        ("attachment", ("attachment", {})),
        ('attachment; filename="foo.html"', ("attachment", {"filename": "foo.html"})),
        ("attachment; filename=foo.html", ("attachment", {"filename": "foo.html"})),
        ('attachment; FILENAME="foo.html"', ("attachment", {"filename": "foo.html"})),
        ('attachment;filename="foo.html"', ("attachment", {"filename": "foo.html"})),
        ('attachment ;  filename = "foo.html" ', ("attachment", {"filename": "foo.html"})),
        # RFC 9110 quoted-pair in non-form-data types
        ('attachment; filename="f\\oo.html"', ("attachment", {"filename": "foo.html"})),
        (
            'attachment; filename="\\"quoting\\" tested.html"',
            ("attachment", {"filename": '"quoting" tested.html'}),
        ),
        (
            'attachment; filename="Here\'s a semicolon;.html"',
            ("attachment", {"filename": "Here's a semicolon;.html"}),
        ),
        (
            'attachment; foo="bar"; filename="foo.html"',
            ("attachment", {"foo": "bar", "filename": "foo.html"}),
        ),
        (
            'attachment; foo="\\"\\\\";filename="foo.html"',
            ("attachment", {"foo": '"\\', "filename": "foo.html"}),
        ),
        ('attachment; filename="foo-ä.html"', ("attachment", {"filename": "foo-ä.html"})),
        ('attachment; filename="foo-%41.html"', ("attachment", {"filename": "foo-%41.html"})),
        ('attachment; filename="50%.html"', ("attachment", {"filename": "50%.html"})),
        ('attachment; filename="/etc/passwd"', ("attachment", {"filename": "/etc/passwd"})),
        (
            'attachment; creation-date="Wed, 12 Feb 1997 16:29:51 -0500"',
            ("attachment", {"creation-date": "Wed, 12 Feb 1997 16:29:51 -0500"}),
        ),
        (
            'attachment; example="filename=example.txt"',
            ("attachment", {"example": "filename=example.txt"}),
        ),
        ("xfoo; filename=x.txt", ("xfoo", {"filename": "x.txt"})),
        # empty parameters are harmless
        ('attachment;; filename="a";', ("attachment", {"filename": "a"})),
        # RFC 8187 ext-values
        (
            "attachment; filename*=iso-8859-1''foo-%E4.html",
            ("attachment", {"filename*": "foo-ä.html"}),
        ),
        (
            "attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html",
            ("attachment", {"filename*": "foo-ä-€.html"}),
        ),
        (
            "attachment; filename*=UTF-8'en'%e2%82%ac%20rates",
            ("attachment", {"filename*": "€ rates"}),
        ),
        ("attachment; filename*=''foo-%c3%a4.html", ("attachment", {"filename*": "foo-ä.html"})),
        (
            'attachment; filename*0="foo."; filename*1="html"',
            ("attachment", {"filename*0": "foo.", "filename*1": "html"}),
        ),
        # RFC 7578 / WHATWG form-data: literal backslashes, %22 %0D %0A decoded
        (
            'form-data; name="a;b"; filename="x%22y.txt"',
            ("form-data", {"name": "a;b", "filename": 'x"y.txt'}),
        ),
        (
            'form-data; name="f"; filename="C:\\dir\\file.txt"',
            ("form-data", {"name": "f", "filename": "C:\\dir\\file.txt"}),
        ),
        ('form-data; name="l%0D%0Af"', ("form-data", {"name": "l\r\nf"})),
        (
            'form-data; name="nai\u0308ve"; filename="тест.txt"',
            ("form-data", {"name": "nai\u0308ve", "filename": "тест.txt"}),
        ),
        # ...and RFC 2616-style escapes when the literal reading does not parse
        (
            'form-data; name="f"; filename="a\\"b.txt"',
            ("form-data", {"name": "f", "filename": 'a"b.txt'}),
        ),
    ],
)
def test_parse_good(header: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_content_disposition(header) == expected


def test_parse_missing() -> None:
    assert parse_content_disposition(None) == (None, {})
    assert parse_content_disposition("") == (None, {})


# -- malformed headers: BadContentDispositionHeader, (None, {}) -------------------------


@pytest.mark.parametrize(
    "header",
    [
        '"inline"',
        "inline; filename",
        '"attachment"; filename=foo',
        "attachment; filename=foo bar.html",
        'attachment; filename="foo.html"; filename="bar.html"',  # duplicate
        "attachment; filename=foo[1](2).html",
        'attachment; filename="foo.html',  # unterminated
        "attachment; filename=foo,bar.html",
        'attachment; filename="foo.html".txt',
        "attachment; =foo",
        "attachment filename=foo",
        "; filename=foo",
        "attachment; filename=",
    ],
)
def test_parse_bad_header_warns(header: str) -> None:
    with pytest.warns(BadContentDispositionHeader) as record:
        assert parse_content_disposition(header) == (None, {})
    assert header[:20] in str(record[0].message)


def test_bad_header_warning_quotes_at_most_100_chars() -> None:
    header = "attachment; filename=" + "x" * 500 + " y"
    with pytest.warns(BadContentDispositionHeader) as record:
        parse_content_disposition(header)
    assert len(str(record[0].message)) < 200


# -- malformed parameters: BadContentDispositionParam, skipped --------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("attachment; filename*=\"UTF-8''foo-%c3%a4.html\"", {}),  # ext-value must not be quoted
        ("attachment; filename*=UTF-8''foo-%c3%a4.html; x=1", None),
        ("attachment; filename*=foo-%c3%a4.html", {}),  # no charset part
        ("attachment; filename*=UTF-8''foo-%zz.html", {}),  # bad pct
        ("attachment; filename*=no-such-charset''foo", {}),
        ("attachment; filename*=utf-8''%ff%fe", {}),  # not UTF-8
        ("attachment; filename*0*=\"utf-8''a\"", {}),  # ext continuation must not be quoted
        ("attachment; filename*=UTF-8'de-DE-x'a'b", {}),
    ],
)
def test_parse_bad_param_warns(header: str, expected: dict[str, str] | None) -> None:
    if expected is None:  # well-formed: no warning at all
        disptype, params = parse_content_disposition(header)
        assert params == {"filename*": "foo-ä.html", "x": "1"}
        return
    with pytest.warns(BadContentDispositionParam):
        assert parse_content_disposition(header) == ("attachment", expected)


def test_bad_param_keeps_the_others() -> None:
    with pytest.warns(BadContentDispositionParam):
        result = parse_content_disposition('form-data; name="f"; filename*=bogus; filename="a"')
    assert result == ("form-data", {"name": "f", "filename": "a"})


# -- content_disposition_filename -------------------------------------------------------


def test_filename_plain_and_ext_preference() -> None:
    assert content_disposition_filename({}) is None
    assert content_disposition_filename({"name": "x"}) is None
    assert content_disposition_filename({"filename": "a.txt"}) == "a.txt"
    # RFC 6266 section 4.3: filename* wins when both are present.
    params = {"filename": "EURO rates", "filename*": "€ rates"}
    assert content_disposition_filename(params) == "€ rates"
    assert content_disposition_filename({"name": "n"}, "name") == "n"


def _params(header: str) -> dict[str, str]:
    return parse_content_disposition(header)[1]


def test_filename_continuations() -> None:
    p = _params('attachment; filename*0="foo."; filename*1="html"')
    assert content_disposition_filename(p) == "foo.html"
    p = _params('attachment; filename*1="html"; filename*0="foo."')
    assert content_disposition_filename(p) == "foo.html"
    # extended sections: charset in the first one, a multibyte char split across two
    p = _params("attachment; filename*0*=UTF-8''foo-%c3; filename*1*=%a4.html")
    assert content_disposition_filename(p) == "foo-ä.html"
    # mixed: encoded and literal sections
    p = _params("attachment; filename*0*=UTF-8''%e2%82%ac; filename*1=\" rates\"")
    assert content_disposition_filename(p) == "€ rates"


def test_filename_continuations_sort_numerically() -> None:
    """aio-libs/aiohttp#13002: sections 10+ sorted as strings and were dropped."""
    names = "".join(chr(ord("a") + i) for i in range(13))
    header = "attachment; " + "; ".join(f'filename*{i}="{names[i]}"' for i in reversed(range(13)))
    assert content_disposition_filename(_params(header)) == names


def test_filename_continuations_gap_and_leading_zero() -> None:
    p = _params('attachment; filename*0="a"; filename*2="c"')
    assert content_disposition_filename(p) == "a"
    p = _params('attachment; filename*1="b"')
    assert content_disposition_filename(p) is None
    # "01" is not a section number (RFC 2231: no leading zeros): a plain param
    p = _params('attachment; filename*0="a"; filename*01="b"')
    assert content_disposition_filename(p) == "a"


def test_filename_continuation_bad_first_section() -> None:
    p = _params("attachment; filename*0*=%e2%82%ac")
    with pytest.warns(BadContentDispositionParam):
        assert content_disposition_filename(p) is None
    p = _params("attachment; filename*0*=utf-8''%ff")
    with pytest.warns(BadContentDispositionParam):
        assert content_disposition_filename(p) is None


def test_filename_star_beats_continuations_beats_plain() -> None:
    p = _params('attachment; filename="plain"; filename*0="co"; filename*1="nt"')
    assert content_disposition_filename(p) == "cont"
    p = _params("attachment; filename*=utf-8''ext; filename*0=\"cont\"")
    assert content_disposition_filename(p) == "ext"


# -- writer side -------------------------------------------------------------------------


def test_format_form_data_rfc7578() -> None:
    value = format_content_disposition("form-data", {"name": 'a"b', "filename": "naïve\r\n.txt"})
    assert value == 'form-data; name="a%22b"; filename="naïve%0D%0A.txt"'
    assert "filename*" not in value


def test_format_other_types_rfc6266() -> None:
    assert format_content_disposition("attachment", {"filename": 'a "b" \\c'}) == (
        'attachment; filename="a \\"b\\" \\\\c"'
    )
    value = format_content_disposition("attachment", {"filename": "€ rates"})
    assert value == "attachment; filename*=utf-8''%E2%82%AC%20rates; filename=\"%E2%82%AC%20rates\""
    assert format_content_disposition("inline", {}) == "inline"
    assert format_content_disposition("inline", {"x": "\t"}) == "inline; x*=utf-8''%09"


@pytest.mark.parametrize(
    ("disptype", "params"), [("", {}), ("a b", {}), ("x", {"a b": "c"}), ("x", {"": "c"})]
)
def test_format_rejects_non_tokens(disptype: str, params: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="bad content disposition"):
        format_content_disposition(disptype, params)


_names = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=30
)


@settings(max_examples=150, deadline=None)
@given(
    disptype=st.sampled_from(["form-data", "attachment", "inline"]), name=_names, filename=_names
)
def test_format_parse_round_trip(disptype: str, name: str, filename: str) -> None:
    # form-data is lossy for a literal "%22" in a name (the WHATWG encoding
    # does not escape "%"), so leave those out of the property.
    if disptype == "form-data" and any(
        s in (name + filename).upper() for s in ("%22", "%0D", "%0A")
    ):
        return
    header = format_content_disposition(disptype, {"name": name, "filename": filename})
    parsed_type, params = parse_content_disposition(header)
    assert parsed_type == disptype
    assert content_disposition_filename(params) == filename
    assert content_disposition_filename(params, "name") == name


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parse_never_raises(header: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        disptype, params = parse_content_disposition(header)
        content_disposition_filename(params)
    assert disptype is None or disptype == disptype.lower()


# -- Content-Type (the boundary parameter) ------------------------------------------------


def test_parse_content_type() -> None:
    assert parse_content_type('multipart/form-data; boundary="a;b"') == (
        "multipart",
        "form-data",
        {"boundary": "a;b"},
    )
    assert parse_content_type("Text/Plain;Charset=UTF-8") == ("text", "plain", {"charset": "UTF-8"})
    for bad in (None, "", "text", "text/", "/plain", "text/plain; a", 'text/plain; a="b'):
        assert parse_content_type(bad) is None


_TOKEN = st.text("!#$%&'*+-.^_`|~aZ09", min_size=1, max_size=6)
_OWS_TEXT = st.sampled_from(["", " ", "\t ", "  "])


@settings(max_examples=400, deadline=None)
@given(
    type_=_TOKEN,
    subtype=_TOKEN,
    key=_TOKEN,
    value=_TOKEN | st.text(st.sampled_from('a\\"; =\té'), max_size=8).map(lambda v: f'"{v}"'),
    ows=st.tuples(_OWS_TEXT, _OWS_TEXT, _OWS_TEXT, _OWS_TEXT, _OWS_TEXT),
)
def test_content_type_with_one_parameter_as_with_two(
    type_: str, subtype: str, key: str, value: str, ows: tuple[str, str, str, str, str]
) -> None:
    """One parameter (matched at once) is parsed as the general scanner parses it.

    A second parameter sends the same value through the general scanner.
    """
    a, b, c, d, e = ows
    one = f"{a}{type_}/{subtype}{b};{c}{key}{d}={e}{value}{a}"
    with warnings.catch_warnings(record=True) as one_warned:
        warnings.simplefilter("always")
        got = parse_content_type(one)
    with warnings.catch_warnings(record=True) as two_warned:
        warnings.simplefilter("always")
        general = parse_content_type(one + "; other=1")
    if key.lower() == "other":
        return
    if general is None:
        assert got is None
    else:
        general[2].pop("other")
        assert got == general
    # A "*" parameter may warn: the same either way.
    assert [str(w.message) for w in one_warned] == [str(w.message) for w in two_warned]


_FORM_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(name=_FORM_TEXT, filename=st.none() | _FORM_TEXT)
def test_browser_shaped_headers_parse_as_the_full_grammar_does(
    name: str, filename: str | None
) -> None:
    """The one-match path for browser-shaped headers gives the general parser's result."""
    header = f'form-data; name="{name}"'
    if filename is not None:
        header += f'; filename="{filename}"'
    general = _parse_general(header)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = parse_content_disposition(header)
    assert parsed == ((None, {}) if isinstance(general, str) else general)
    if '"' not in name and "%" not in name and (filename is None or not {'"', "%"} & set(filename)):
        assert parsed == (
            "form-data",
            {"name": name, **({} if filename is None else {"filename": filename})},
        )
