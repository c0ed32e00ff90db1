"""Loading taxonomies: the default one, user files, and clear errors for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcem.analysis.aspects import (
    Taxonomy,
    TaxonomyError,
    Topic,
    find_aspects,
    load_taxonomy,
)

CX_TOPICS = {
    "staff_service",
    "wait_time",
    "price_value",
    "product_quality",
    "cleanliness",
    "delivery",
    "billing",
    "app_website",
    "communication",
}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_taxonomy_has_the_cx_topics_and_its_examples_match() -> None:
    taxonomy = load_taxonomy()
    assert load_taxonomy() is taxonomy  # read once, shared: it is immutable
    assert set(taxonomy.names) >= CX_TOPICS
    for topic in taxonomy.topics:
        assert topic.label and topic.keywords and topic.examples
        for example in topic.examples:
            assert topic.name in taxonomy.topics_in(example)


def test_a_user_file_replaces_the_default(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[topics.parking]
label = "Parking"
keywords = ["parking", "car park"]
examples = ["no parking anywhere"]

[topics.pets]
keywords = ["dog*", "pet"]
""",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ("parking", "pets")
    assert taxonomy.topic("pets").label == "Pets"  # defaults to the name
    assert taxonomy.topics_in("Dogs welcome, and the car-park is big") == {"parking", "pets"}


def test_extending_the_default_adds_and_replaces_topics(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[topics.pets]
keywords = ["dog*"]

[topics.cleanliness]
keywords = ["sparkling"]
""",
    )
    taxonomy = load_taxonomy(path, extend_default=True)
    assert set(taxonomy.names) >= CX_TOPICS
    assert taxonomy.names[-1] == "pets"
    assert taxonomy.topic("cleanliness").keywords == ("sparkling",)
    assert taxonomy.topics_in("a dirty floor") == set()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[topics.a]\nlabel = 'A'\n", "topic 'a': 'keywords' is missing"),
        ("[topics.a]\nkeywords = []\n", "topic 'a': 'keywords' is empty"),
        ("[topics.a]\n", "topic 'a' is empty"),
        ("[topics.a]\nkeywords = ['x']\nkeyword = ['y']\n", "unknown key 'keyword'"),
        ("[topics.a]\nkeywords = 'x'\n", "'keywords' must be a list of strings"),
        ("[topics.a]\nkeywords = ['x']\nlabel = 3\n", "'label' must be a non-empty string"),
        ("[topic.a]\nkeywords = ['x']\n", "unknown top-level key 'topic'"),
        ("description = 'nothing'\n", "no topics"),
        ("[topics]\na = 1\n", "topic 'a' must be a table"),
        ("[topics.Bad-Name]\nkeywords = ['x']\n", "topic 'Bad-Name': a name is"),
        ("[topics.a]\nkeywords = ['(x|y)']\n", "keyword '(x|y)'"),
        ("[topics.a]\nkeywords = ['*x']\n", "keyword '*x'"),
        ("[topics.a]\nkeywords = ['x']\n[topics.b]\nkeywords = ['X']\n", "in both 'a' and 'b'"),
        ("[topics.a]\nkeywords = ['x']\nexamples = ['no match']\n", "matches none of its"),
        ("[topics.a]\nkeywords = ['x']\npositive = [1]\n", "'positive' must be a list"),
        ("ignore = ['x']\n[topics.a]\nkeywords = ['x']\n", "ignored phrase 'x' is a keyword"),
        ("ignore = ['a|b']\n[topics.a]\nkeywords = ['x']\n", "'ignore': keyword 'a|b'"),
        ("description = 1\n[topics.a]\nkeywords = ['x']\n", "'description' must be a string"),
        ("[topics.a]\nkeywords = ['x'\n", "not valid TOML"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TaxonomyError, match=r"taxonomy\.toml") as caught:
        load_taxonomy(path)
    assert message in str(caught.value)


def test_a_missing_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "absent.toml")


def test_taxonomies_built_in_code_are_checked_too() -> None:
    with pytest.raises(TaxonomyError, match="at least one topic"):
        Taxonomy(())
    with pytest.raises(TaxonomyError, match="defined twice"):
        Taxonomy((Topic("a", "A", ("x",)), Topic("a", "A", ("y",))))
    taxonomy = Taxonomy((Topic("a", "A", ("x",)),), ignore=("x y",))
    assert taxonomy == Taxonomy((Topic("a", "A", ("x",)),), ignore=("x y",))
    assert taxonomy.topics_in("x z, X Y") == {"a"}
    assert find_aspects("x y", taxonomy) == []
    with pytest.raises(KeyError):
        taxonomy.topic("b")
