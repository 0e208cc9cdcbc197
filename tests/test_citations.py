"""Citations: numbering, markers and back-links, NLM formatting, and every integrity problem.

The references used here are invented for the tests and say so in their titles; they are written
into ``tmp_path`` and never reach ``content/``. The one real reference (Taunton 2002) is read from
``content/references.json``.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from running_injuries.knowledge.citations import (
    Bibliography,
    CitedText,
    backlink_letter,
    cite,
    drop_identifier_text,
    find_citation_keys,
    fix_date_spacing,
    fix_page_range_hyphen,
    render_reference_list,
    unused_reference_warnings,
)
from running_injuries.content.problems import Problems, Severity

ROOT = Path(__file__).resolve().parent.parent
TAUNTON_TEXT = (
    "Taunton JE, Ryan MB, Clement DB, McKenzie DC, Lloyd-Smith DR, Zumbo BD. A retrospective "
    "case-control analysis of 2002 running injuries. Br J Sports Med. 2002 Apr;36(2):95-101."
)

# Invented references (10.5555 is the DOI prefix reserved for examples).
FIXTURE_REFERENCES = [
    {"id": "fixture-a", "type": "article-journal", "title": "Example study A (test fixture)",
     "author": [{"family": "Example", "given": "A"}], "container-title": "Test Journal",
     "container-title-short": "Test J",
     "issued": {"date-parts": [[2020, 1]]}, "volume": "1", "issue": "1", "page": "1-9",
     "DOI": "10.5555/fixture-a"},
    {"id": "fixture-b", "type": "article-journal", "title": "Example study B (test fixture)",
     "author": [{"family": "Example", "given": "B"}], "container-title": "Test Journal",
     "container-title-short": "Test J",
     "issued": {"date-parts": [[2021, 6, 5]]}, "volume": "2", "page": "10-12"},
    {"id": "fixture-c", "type": "book", "title": "Example book C (test fixture)",
     "author": [{"family": "Example", "given": "C"}], "publisher": "Fixture Press",
     "publisher-place": "Testville", "issued": {"date-parts": [[2019]]}},
    {"id": "fixture-unused", "type": "book", "title": "Example book D, never cited (test fixture)",
     "publisher": "Fixture Press", "issued": {"date-parts": [[2018]]}},
]

# Cites B first, then A and B together (in that order, so the group prints sorted as [1, 2]),
# C at the very end of a line; citations in fenced blocks, inline code, an e-mail address, a bare
# @key, an escaped group and a link are not citations. It ends with a citation at the end of file.
BODY = textwrap.dedent("""\
    Runners often report this [@fixture-b].
    Two studies agree [@fixture-a; @fixture-b]. A book says so too [@fixture-c]

    ```markdown
    Inside a fence [@fixture-a] stays as written.
    ```

    Inline `[@fixture-c]` stays, so do runner@example.org, @fixture-a, \\[@fixture-a] and
    [@fixture-a](https://example.org/).

    ~~~
    [@fixture-b]
    ~~~

    Again [@fixture-a, p. 3]""")


def write_json(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "references.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> tuple[Bibliography, Problems]:
    problems = Problems()
    return Bibliography.load(path, "content/references.json", problems), problems


@pytest.fixture
def bibliography(tmp_path: Path) -> Bibliography:
    result, problems = load(write_json(tmp_path, FIXTURE_REFERENCES))
    assert [str(p) for p in problems] == []
    return result


@pytest.fixture
def cited(bibliography: Bibliography) -> CitedText:
    problems = Problems()
    result = cite(BODY, bibliography, path="content/conditions/x.md", first_line=8, problems=problems)
    assert [str(p) for p in problems] == []
    return result


def html(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment, "lxml")


# --------------------------------------------------------------------------------------------
# Finding citations


def test_find_citation_keys_skips_code_and_non_citations() -> None:
    assert find_citation_keys(BODY) == [
        ("fixture-b", 0),
        ("fixture-a", 1), ("fixture-b", 1), ("fixture-c", 1),
        ("fixture-a", 14),
    ]


def test_citation_at_end_of_line_and_of_file() -> None:
    assert find_citation_keys("a [@x]\nb [@y]") == [("x", 0), ("y", 1)]
    assert find_citation_keys("[@x]") == [("x", 0)]


def test_group_wrapped_over_lines_and_pandoc_keys() -> None:
    text = "See [@a:b/c.d;\n  -@e_f, chap. 2].  Not [@g.] nor [mail a@b.org] nor [see @h]."
    assert find_citation_keys(text) == [("a:b/c.d", 0), ("e_f", 1)]


def test_unclosed_fence_runs_to_the_end() -> None:
    assert find_citation_keys("[@a]\n```\n[@b]\n") == [("a", 0)]


def test_code_span_does_not_cross_a_blank_line() -> None:
    assert find_citation_keys("a ` b\n\n[@x] ` c") == [("x", 2)]


# --------------------------------------------------------------------------------------------
# Numbering, markers and back-links


def test_numbers_follow_first_citation(cited: CitedText) -> None:
    assert [(ref.number, ref.reference.id) for ref in cited.references] == [
        (1, "fixture-b"), (2, "fixture-a"), (3, "fixture-c"),
    ]
    assert [ref.backlinks for ref in cited.references] == [
        ["cite-fixture-b-1", "cite-fixture-b-2"],
        ["cite-fixture-a-1", "cite-fixture-a-2"],
        ["cite-fixture-c-1"],
    ]


def test_markers(cited: CitedText, bibliography: Bibliography) -> None:
    groups = html(cited.markdown).select("sup.citation")
    assert [group.get_text() for group in groups] == ["[1]", "[1, 2]", "[3]", "[2(p. 3)]"]
    links = [[(a["href"], a["id"], a.get_text()) for a in group.select("a.citation-ref")] for group in groups]
    assert links == [
        [("#ref-fixture-b", "cite-fixture-b-1", "1")],
        [("#ref-fixture-b", "cite-fixture-b-2", "1"), ("#ref-fixture-a", "cite-fixture-a-1", "2")],
        [("#ref-fixture-c", "cite-fixture-c-1", "3")],
        [("#ref-fixture-a", "cite-fixture-a-2", "2")],
    ]
    first = groups[0].a
    assert first["title"] == bibliography.format("fixture-b").text
    assert first["title"] == "Example B. Example study B (test fixture). Test J. 2021 Jun 5;2:10-2."
    assert all("\n" not in str(group) for group in groups)


def test_code_and_non_citations_are_left_alone(cited: CitedText) -> None:
    for untouched in ("Inside a fence [@fixture-a] stays as written.", "`[@fixture-c]`",
                      "runner@example.org, @fixture-a, \\[@fixture-a] and",
                      "[@fixture-a](https://example.org/)", "~~~\n[@fixture-b]\n~~~"):
        assert untouched in cited.markdown


def test_markers_survive_python_markdown(cited: CitedText) -> None:
    body = markdown.markdown(cited.markdown, extensions=["pymdownx.superfences", "attr_list", "md_in_html", "abbr", "toc"])
    page = html(body)
    assert [a["id"] for a in page.select("p sup.citation a.citation-ref")] == [
        "cite-fixture-b-1", "cite-fixture-b-2", "cite-fixture-a-1", "cite-fixture-c-1", "cite-fixture-a-2",
    ]
    assert [code.get_text().strip() for code in page.select("pre code")] == [
        "Inside a fence [@fixture-a] stays as written.", "[@fixture-b]",
    ]
    assert "[@fixture-c]" in [code.get_text() for code in page.select("p code")]


def test_reference_list_with_back_links(cited: CitedText) -> None:
    items = html(render_reference_list(cited)).select("ol.references > li")
    assert [(li["id"], li["value"]) for li in items] == [("ref-fixture-b", "1"), ("ref-fixture-a", "2"), ("ref-fixture-c", "3")]
    backlinks = [[(a["href"], a["aria-label"], a.get_text()) for a in li.select("a.citation-backlink")] for li in items]
    assert backlinks == [
        [("#cite-fixture-b-1", "Back to citation 1a", "a"), ("#cite-fixture-b-2", "Back to citation 1b", "b")],
        [("#cite-fixture-a-1", "Back to citation 2a", "a"), ("#cite-fixture-a-2", "Back to citation 2b", "b")],
        [("#cite-fixture-c-1", "Back to citation 3", "↩")],
    ]
    assert items[0].select_one(".citation-backlinks").get_text() == "↩ a, b"
    assert items[2].select_one(".reference").get_text() == "Example C. Example book C (test fixture). Testville: Fixture Press; 2019."
    doi = items[1].select_one("a.reference-link")
    assert (doi["href"], doi.get_text()) == ("https://doi.org/10.5555/fixture-a", "doi:10.5555/fixture-a")


def test_every_marker_has_a_unique_id_and_a_target(cited: CitedText) -> None:
    page = html(cited.markdown + str(render_reference_list(cited)))
    ids = [element["id"] for element in page.select("[id]")]
    assert len(ids) == len(set(ids))
    for link in page.select("a[href^='#']"):
        assert page.find(id=link["href"][1:]) is not None


def test_no_citations_no_list(bibliography: Bibliography) -> None:
    cited = cite("No sources here.", bibliography, path="p.md", first_line=1, problems=Problems())
    assert cited.markdown == "No sources here."
    assert cited.references == []
    assert render_reference_list(cited) == ""


def test_keys_with_punctuation_make_safe_ids_and_links(tmp_path: Path) -> None:
    entry = {"id": "a:b/c%d<e>f", "type": "book", "title": "Example book E & co (test fixture)"}
    bibliography, problems = load(write_json(tmp_path, [entry]))
    assert list(problems) == []
    cited = cite("x [@a:b/c%d<e>f]", bibliography, path="p.md", first_line=1, problems=problems)
    assert '<a href="#ref-a:b/c%25d%3Ce%3Ef" id="cite-a:b/c%d&lt;e&gt;f-1"' in cited.markdown
    page = html(cited.markdown + str(render_reference_list(cited)))
    assert page.select_one("a.citation-ref")["id"] == "cite-a:b/c%d<e>f-1"
    assert page.select_one("li")["id"] == "ref-a:b/c%d<e>f"
    assert page.select_one("li .reference").get_text() == "Example book E & co (test fixture)."


def test_titles_cannot_be_read_as_markdown(tmp_path: Path) -> None:
    entry = {"id": "md", "type": "book", "title": "Example *study* [x] `y` (test fixture)"}
    bibliography, _ = load(write_json(tmp_path, [entry]))
    cited = cite("See [@md].", bibliography, path="p.md", first_line=1, problems=Problems())
    link = html(markdown.markdown(cited.markdown)).select_one("a.citation-ref")
    assert link["title"] == "Example *study* [x] `y` (test fixture)."


def test_backlink_letters() -> None:
    assert [backlink_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


# --------------------------------------------------------------------------------------------
# NLM formatting


SEED_FORM = (
    "Taunton JE, Ryan MB, Clement DB, McKenzie DC, Lloyd-Smith DR, Zumbo BD. A retrospective case-control "
    "analysis of 2002 running injuries. Br J Sports Med. 2002 Apr;36(2):95-101. PubMed PMID: 11916889; "
    "PubMed Central PMCID: PMC1724490."
)


def test_taunton_reads_like_the_seed() -> None:
    bibliography, problems = load(ROOT / "content" / "references.json")
    assert [str(p) for p in problems] == []
    formatted = bibliography.format("taunton2002")
    assert formatted.text == TAUNTON_TEXT
    assert formatted.links == {
        "doi": "https://doi.org/10.1136/bjsm.36.2.95",
        "pubmed": "https://pubmed.ncbi.nlm.nih.gov/11916889/",
        "pmc": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1724490/",
    }
    fragment = html(formatted.html)
    # The seed document's printed form, word for word, then the DOI.
    assert fragment.get_text() == SEED_FORM + " doi:10.1136/bjsm.36.2.95."
    assert [(a["href"], a.get_text()) for a in fragment.select("a")] == [
        ("https://pubmed.ncbi.nlm.nih.gov/11916889/", "PubMed PMID: 11916889"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC1724490/", "PubMed Central PMCID: PMC1724490"),
        ("https://doi.org/10.1136/bjsm.36.2.95", "doi:10.1136/bjsm.36.2.95"),
    ]


def test_seed_form_is_the_seed_documents_own_text() -> None:
    seed = (ROOT.parent / "shared" / "seed" / "common-running-injuries-back-pain.txt").read_text(encoding="utf-8")
    assert SEED_FORM in " ".join(seed.split())


def test_fix_date_spacing() -> None:
    assert fix_date_spacing("Br J Sports Med. 2002Apr;36(2):95-101.") == "Br J Sports Med. 2002 Apr;36(2):95-101."
    assert fix_date_spacing("2021Jun5;2:10-2. [cited 2024Jan12]") == "2021 Jun 5;2:10-2. [cited 2024 Jan 12]"
    assert fix_date_spacing("2002;36(2):95-101. 2002 Apr;36") == "2002;36(2):95-101. 2002 Apr;36"


def test_fix_page_range_hyphen() -> None:
    assert fix_page_range_hyphen("2002 Apr;36(2):95\u2013101.") == "2002 Apr;36(2):95-101."
    assert fix_page_range_hyphen("2019;1234\u201340. p. 5\u20139.") == "2019;1234-40. p. 5-9."
    assert fix_page_range_hyphen("Cohort 2010\u20132015.") == "Cohort 2010\u20132015."


def test_identifier_text_is_dropped_once() -> None:
    text = "A. B. 2002 Apr;36(2):95-101. doi:10.1/x PubMed PMID: 1; PubMed Central PMCID: PMC2."
    phrases = ["doi:10.1/x", "PubMed PMID: 1", "PubMed Central PMCID: PMC2"]
    assert drop_identifier_text(text, phrases) == "A. B. 2002 Apr;36(2):95-101."
    assert drop_identifier_text("A. Available from: https://e.org doi:10.1/x", phrases) == "A. Available from: https://e.org"
    assert drop_identifier_text("A. PubMed PMID: 1. Note.", phrases) == "A. Note."


def test_each_reference_is_formatted_once(bibliography: Bibliography) -> None:
    assert bibliography.format("fixture-a") is bibliography.format("fixture-a")
    body = " ".join(["[@fixture-a]"] * 500)
    cited = cite(body, bibliography, path="p.md", first_line=1, problems=Problems())
    assert {id(ref.reference) for ref in cited.references} == {id(bibliography.format("fixture-a"))}
    assert len(cited.references[0].backlinks) == 500


def test_a_reference_edited_between_builds_is_formatted_anew(tmp_path: Path) -> None:
    """mkdocs serve loads the references again on every rebuild; what citeproc-py printed is kept
    for the process, by the entry's whole content, so an edit shows at once."""
    entries = [dict(entry) for entry in FIXTURE_REFERENCES]
    first, _ = load(write_json(tmp_path, entries))
    assert first.format("fixture-a").text.startswith("Example A. Example study A (test fixture).")
    entries[0] = {**entries[0], "title": "Example study A, retitled (test fixture)"}
    again, _ = load(write_json(tmp_path, entries))
    assert again.format("fixture-a").text.startswith("Example A. Example study A, retitled (test fixture).")


def test_an_entry_citeproc_cannot_format_is_an_error_at_its_line_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """citeproc-py raises on a date it cannot read: its title stands in, and the entry is an error
    at its line (besides the date's own problem), so no page is published with it."""
    entries = [{**FIXTURE_REFERENCES[0], "issued": {"date-parts": [["spring"]]}}]
    bibliography, problems = load(write_json(tmp_path, entries))
    cite("A fact [@fixture-a].", bibliography, path="c.md", first_line=1, problems=problems)
    assert bibliography.format("fixture-a").text.startswith("Example study A (test fixture).")
    assert [str(p) for p in problems.errors] == [
        "content/references.json:2: [0]: citeproc-py cannot format this entry "
        "(TypeError: bad operand type for abs(): 'str')",
        'content/references.json:14: [0].issued: must be a date like {"date-parts": [[2002, 4]]} or '
        '{"literal": "..."}',
    ]
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("body, inside", [
    ('See [the study](https://example.org/x "About [@fixture-a] here").', True),  # in a title
    ("See [the study [@fixture-a]](https://example.org/x).", True),  # in a link's text
    ("See ![a chart [@fixture-a]](chart.png).", True),  # in an image's text
    ("See [the study [@fixture-a]][study].", True),  # in a reference link's text
    ("See [the study](https://example.org/x) [@fixture-a].", False),  # after a link
    ("A fact [@fixture-a] and [a link](https://example.org/x).", False),  # before one
    ("A fact [@fixture-a].\n\n[a link](https://example.org/x)", False),  # another paragraph
    ("[Note: a fact [@fixture-a]] and more.", False),  # brackets that make no link
])
def test_a_citation_inside_a_link_is_an_error_with_its_line(bibliography: Bibliography, body: str,
                                                            inside: bool) -> None:
    """Its marker is a link itself: inside another link's text or title it would garble both."""
    problems = Problems()
    cite("Intro.\n\n" + body, bibliography, path="c.md", first_line=5, problems=problems)
    expected = ["c.md:7: citation: a citation inside a link's text, address or title (its marker is a link "
                "itself): cite after the link instead"] if inside else []
    assert [str(p) for p in problems] == expected


# --------------------------------------------------------------------------------------------
# Integrity


def test_unknown_key_is_a_problem_at_its_file_line(bibliography: Bibliography) -> None:
    problems = Problems()
    body = "First line.\n\nSee [@fixture-a; @fixure-a] and [@nothing-like-it]."
    cited = cite(body, bibliography, path="content/conditions/x.md", first_line=7, problems=problems)
    assert [str(p) for p in problems] == [
        "content/conditions/x.md:9: citation: unknown reference '@fixure-a' (did you mean '@fixture-a'?)",
        "content/conditions/x.md:9: citation: unknown reference '@nothing-like-it'",
    ]
    groups = html(cited.markdown).select("sup.citation")
    assert [group.get_text() for group in groups] == ["[1, @fixure-a]", "[@nothing-like-it]"]
    assert [ref.reference.id for ref in cited.references] == ["fixture-a"]


def test_taunton_misspelt(tmp_path: Path) -> None:
    bibliography, _ = load(ROOT / "content" / "references.json")
    problems = Problems()
    cite("a\n[@tauton2002]", bibliography, path="content/topics/back-pain.md", first_line=5, problems=problems)
    assert [str(p) for p in problems] == [
        "content/topics/back-pain.md:6: citation: unknown reference '@tauton2002' (did you mean '@taunton2002'?)",
    ]


def test_invalid_json_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "references.json"
    path.write_text('[\n  {"id": "a",\n   "type": "book"\n  \n]\n', encoding="utf-8")
    bibliography, problems = load(path)
    assert [str(p) for p in problems] == [
        "content/references.json:5: not valid JSON: Expecting ',' delimiter (column 1)",
    ]
    assert bibliography.keys() == []


def test_not_a_list(tmp_path: Path) -> None:
    _, problems = load(write_json(tmp_path, {"id": "a"}))
    assert [str(p) for p in problems] == [
        "content/references.json:1: must be a JSON array of CSL-JSON entries, found an object",
    ]


def test_missing_file(tmp_path: Path) -> None:
    _, problems = load(tmp_path / "nope.json")
    assert [str(p) for p in problems] == ["content/references.json: file not found"]


def test_entry_problems_with_field_and_line(tmp_path: Path) -> None:
    good = {"id": "fixture-a", "type": "book", "title": "Example A (test fixture)"}
    entries = [
        good,                                                                   # lines 2-6
        "not an entry",                                                         # line 7
        {"type": "book", "title": "Example without id (test fixture)"},         # lines 8-11
        {"id": "fixture-a", "type": "book", "title": "Example duplicate (test fixture)"},  # 12-16
        {"id": "fixture-b", "title": "Example without type (test fixture)",     # 17-23
         "DOI": "https://doi.org/10.5555/x", "PMID": "PMID123", "PMCID": "1724490"},
        {"id": "fixture-c", "type": "journal-article", "title": "",            # 24-41
         "author": [{"given": "No family"}], "issued": {"date-parts": [["2020", "x"]]}},
        {"id": "bad key!", "type": "book", "title": "Example bad key (test fixture)"},  # 42-46
    ]
    path = write_json(tmp_path, entries)
    lines = path.read_text().splitlines()
    # The lines the problems below point at.
    assert lines[16] == "  {" and lines[19] == '    "DOI": "https://doi.org/10.5555/x",'
    assert lines[27] == '    "author": [' and lines[32] == '    "issued": {' and lines[42] == '    "id": "bad key!",'
    bibliography, problems = load(path)
    assert [str(p) for p in problems] == [
        "content/references.json:7: [1]: must be an object (one CSL-JSON entry), found a string",
        "content/references.json:8: [2].id: missing (every reference needs an id, a type and a title)",
        "content/references.json:13: [3].id: duplicate id 'fixture-a' (already used by [0] on line 2)",
        "content/references.json:17: [4].type: missing (every reference needs an id, a type and a title)",
        "content/references.json:20: [4].DOI: not a valid DOI: 'https://doi.org/10.5555/x' (10.<digits>/<suffix>, without https://doi.org/)",
        "content/references.json:21: [4].PMID: not a valid PubMed id: 'PMID123' (digits only)",
        "content/references.json:22: [4].PMCID: not a valid PubMed Central id: '1724490' (PMC followed by digits)",
        "content/references.json:26: [5].type: unknown CSL type 'journal-article' (did you mean 'article-journal'?)",
        "content/references.json:27: [5].title: must be a non-empty string, found an empty string",
        "content/references.json:28: [5].author[0]: must be a name like {\"family\": \"Taunton\", \"given\": \"J E\"} or {\"literal\": \"...\"}",
        "content/references.json:33: [5].issued: must be a date like {\"date-parts\": [[2002, 4]]} or {\"literal\": \"...\"}",
        "content/references.json:43: [6].id: 'bad key!' is not a valid citation key (letters, digits and _, with :.#$%&+?<>~/- only inside)",
    ]
    assert all(p.severity is Severity.ERROR for p in problems)
    # The first of two duplicates wins; entries without a usable id are left out.
    assert bibliography.keys() == ["fixture-a", "fixture-b", "fixture-c"]
    assert bibliography.reference("fixture-a").csl["title"] == "Example A (test fixture)"
    # A broken entry still formats (the build fails on the errors above, not with a traceback).
    assert bibliography.format("fixture-c").text
    assert bibliography.format("fixture-b").links == {}


def test_lines_of_compact_json(tmp_path: Path) -> None:
    path = tmp_path / "references.json"
    path.write_text('[{"id": "a", "type": "book", "title": "T (test fixture)"},\n'
                    ' {"id": "a", "type": "book", "title": "T (test fixture)", "PMID": "x"}]\n', encoding="utf-8")
    _, problems = load(path)
    assert [str(p) for p in problems] == [
        "content/references.json:2: [1].PMID: not a valid PubMed id: 'x' (digits only)",
        "content/references.json:2: [1].id: duplicate id 'a' (already used by [0] on line 1)",
    ]


def test_unused_reference_warning(bibliography: Bibliography, cited: CitedText, tmp_path: Path) -> None:
    lines = (tmp_path / "references.json").read_text().splitlines()
    assert lines[70:72] == ["  {", '    "id": "fixture-unused",']  # the entry starts on line 71
    problems = Problems()
    cited_keys = {ref.reference.id for ref in cited.references}
    unused_reference_warnings(bibliography, cited_keys, "content/references.json", problems)
    assert [str(p) for p in problems] == [
        "content/references.json:71: warning: [3].id: reference '@fixture-unused' is not cited by any page",
    ]
    assert [p.severity for p in problems] == [Severity.WARNING]
