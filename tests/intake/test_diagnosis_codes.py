"""ICD-10-CM codes as a referral gives them: checked against the official code set, billable
codes only, each bad code named (clinical rules §9.1)."""

from __future__ import annotations

import pytest

from intake.diagnosis_codes import (
    CODE_NOT_BILLABLE,
    CODE_REPEATED,
    CODE_UNKNOWN,
    DIAGNOSIS_CODES_MAX,
    TOO_MANY_CODES,
    DiagnosisCodeError,
    IcdCode,
    diagnosis_codes_parse,
    diagnosis_codes_search,
    diagnosis_codes_split,
)


def messages_for(text: str) -> list[str]:
    with pytest.raises(DiagnosisCodeError) as raised:
        diagnosis_codes_parse(text)
    return raised.value.messages


def test_codes_are_read_with_or_without_the_dot_in_any_case_and_order():
    assert diagnosis_codes_parse("m5431, M51.16;M5417") == [
        IcdCode("M54.31", "Sciatica, right side"),
        IcdCode("M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region"),
        IcdCode("M54.17", "Radiculopathy, lumbosacral region"),
    ]


def test_no_text_is_no_codes():
    assert diagnosis_codes_parse("  ") == []


def test_an_unknown_code_is_named():
    assert messages_for("M54.31, Q99.99") == [CODE_UNKNOWN.format(code="Q99.99")]


def test_words_are_not_codes():
    assert messages_for("sciatica") == [CODE_UNKNOWN.format(code="sciatica")]


def test_a_heading_is_not_billable_and_the_message_suggests_a_code_under_it():
    assert messages_for("M54.3") == [
        CODE_NOT_BILLABLE.format(
            code="M54.3", description="Sciatica", example="M54.30 (Sciatica, unspecified side)"
        )
    ]


def test_a_code_that_needs_its_seventh_character_is_not_billable_without_it():
    (message,) = messages_for("S33.5")
    assert message.startswith("S33.5 (Sprain of ligaments of lumbar spine) is a heading")
    assert diagnosis_codes_parse("S33.5XXA")[0].code == "S33.5XXA"


def test_every_bad_code_is_named_at_once():
    assert messages_for("M54, M54.31, m5431, ZZZ") == [
        CODE_NOT_BILLABLE.format(
            code="M54",
            description="Dorsalgia",
            example="M54.00 (Panniculitis affecting regions of neck and back, site unspecified)",
        ),
        CODE_REPEATED.format(code="M54.31"),
        CODE_UNKNOWN.format(code="ZZZ"),
    ]


def test_at_most_twelve_codes():
    codes = ["M54.30", "M54.31", "M54.32", "M54.40", "M54.41", "M54.42", "M54.50"]
    codes += ["M54.51", "M54.59", "M54.6", "M54.89", "M54.9", "M79.18"]
    assert len(codes) == DIAGNOSIS_CODES_MAX + 1
    assert messages_for(" ".join(codes)) == [TOO_MANY_CODES]
    assert len(diagnosis_codes_parse(" ".join(codes[:-1]))) == DIAGNOSIS_CODES_MAX


def test_old_free_text_splits_into_the_codes_that_read_and_the_rest():
    codes, rest = diagnosis_codes_split("M54.3x, M54.31 and G57.01, M54.31")
    assert [c.code for c in codes] == ["M54.31", "G57.01"]
    assert rest == ["M54.3x", "and"]


def test_search_by_the_start_of_a_code_lists_billable_codes_in_order():
    results = diagnosis_codes_search("m54.3")
    assert [r.code for r in results[:3]] == ["M54.30", "M54.31", "M54.32"]


def test_search_by_words_needs_every_word():
    results = diagnosis_codes_search("sciatica LEFT")
    assert "M54.32" in [r.code for r in results]
    assert all("sciatica" in r.description.lower() for r in results)
    assert all("left" in r.description.lower() for r in results)


def test_search_lists_only_billable_codes_and_at_most_the_limit():
    results = diagnosis_codes_search("lumbar", limit=5)
    assert len(results) == 5
    assert "M54.3" not in [r.code for r in diagnosis_codes_search("sciatica")]


def test_search_for_nothing_or_nonsense_finds_nothing():
    assert diagnosis_codes_search("") == []
    assert diagnosis_codes_search("qqqzzz") == []
