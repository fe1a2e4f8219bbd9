"""Catalogue files: round trips, located errors, schema agreement and safe parsing."""

from __future__ import annotations

import copy
import enum
import json
import math
import os
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import leercultuur as lc
from leercultuur.errors import CatalogueError
from leercultuur.io import (
    Catalogue,
    _formats,
    catalogue_schema,
    dump_catalogue,
    dumps_catalogue,
    load_catalogue,
    parse_catalogue,
    structure,
    unstructure,
)
from leercultuur.model import Check, Intervention
from leercultuur.testing.strategies import (
    contexts,
    contra_indications,
    costs,
    crosswalks,
    culture_profiles,
    dimensions,
    effect_sizes,
    evidence,
    interventions,
    texts,
)

FORMATS = ("toml", "json", "yaml")
SCHEMA = Draft202012Validator(catalogue_schema())

catalogues = st.builds(
    Catalogue,
    interventions=st.lists(interventions(), max_size=2),
    dimensions=st.lists(dimensions(), max_size=2),
    crosswalks=st.lists(crosswalks(), max_size=2),
)


def _data(catalogue: Catalogue) -> dict[str, Any]:
    """The plain data of a catalogue file, as the JSON dump writes it."""
    data: dict[str, Any] = json.loads(dumps_catalogue(catalogue, "json"))
    return data


def _text(data: Mapping[str, Any], fmt: str) -> str:
    """Serialise possibly invalid *data* (the library's own dumper refuses bad values)."""
    if fmt == "json":
        return json.dumps(data, allow_nan=True)
    if fmt == "yaml":
        return str(yaml.safe_dump(dict(data), allow_unicode=True))
    return _formats.dumps(data, "toml")


def _problems(text: str, fmt: str) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(text, fmt, source=f"catalogus.{fmt}")
    assert info.value.source == f"catalogus.{fmt}"
    return [p.location for p in info.value.problems]


# -- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@given(catalogue=catalogues)
def test_any_valid_catalogue_round_trips_unchanged(fmt: str, catalogue: Catalogue) -> None:
    text = dumps_catalogue(catalogue, fmt)
    assert parse_catalogue(text, fmt) == catalogue


@pytest.mark.parametrize("fmt", FORMATS)
@given(intervention=interventions())
def test_any_valid_intervention_round_trips_unchanged(fmt: str, intervention: Intervention) -> None:
    catalogue = Catalogue(interventions=[intervention])
    (back,) = parse_catalogue(dumps_catalogue(catalogue, fmt), fmt).interventions
    assert back == intervention


@given(
    record=st.one_of(
        texts(),
        evidence(),
        effect_sizes(),
        costs(),
        contra_indications(),
        dimensions(),
        contexts(),
        culture_profiles(),
        crosswalks(),
    )
)
def test_every_record_round_trips_through_plain_data(record: object) -> None:
    data = json.loads(json.dumps(unstructure(record)))
    assert structure(data, type(record)) == record


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_builtin_catalogue_round_trips(fmt: str, registry: lc.Registry) -> None:
    catalogue = Catalogue(interventions=list(registry.interventions.values()))
    assert parse_catalogue(dumps_catalogue(catalogue, fmt), fmt) == catalogue


@pytest.mark.parametrize("fmt", FORMATS)
@given(text=st.text(max_size=30))
def test_any_text_survives_every_format(fmt: str, text: str) -> None:
    catalogue = Catalogue(interventions=[_one(source=text)])
    assert parse_catalogue(dumps_catalogue(catalogue, fmt), fmt) == catalogue


def _one(**changes: Any) -> Intervention:
    base = Intervention(
        id="zorg_x.intervisie",
        name=lc.Text(nl="Intervisie", en="Peer consultation"),
        summary=lc.Text(nl="Collega's bespreken casuïstiek.", en="Colleagues discuss cases."),
        approaches=[lc.Approach.WORKPLACE],
        effects={"interaction": lc.Strength.STRONG},
        evidence=[lc.Evidence.none_recorded()],
        cost=lc.Cost(eur_once=100, eur_per_participant=10),
    )
    return attrs.evolve(base, **changes)


# -- one corrupted field, one located problem -----------------------------------------------------


@attrs.frozen
class Slot:
    """One place in a catalogue's plain data, with the type the model expects there."""

    keys: tuple[str | int, ...]
    tp: Any
    check: Check | None = None
    optional: bool = False

    @property
    def path(self) -> str:
        out = ""
        for key in self.keys:
            out += f"[{key}]" if isinstance(key, int) else f".{key}"
        return out.lstrip(".")


def _slots(data: Any, tp: Any, keys: tuple[str | int, ...] = ()) -> Iterator[Slot]:
    """Every place in *data* with the type the model expects there (model type *tp*)."""
    origin = typing.get_origin(tp)
    if attrs.has(tp):
        hints = typing.get_type_hints(tp)
        for field in attrs.fields(tp):
            if field.name not in data:
                continue
            ftp = hints[field.name]
            optional = type(None) in typing.get_args(ftp)
            if optional:
                (ftp,) = [a for a in typing.get_args(ftp) if a is not type(None)]
            check = field.validator if isinstance(field.validator, Check) else None
            yield Slot((*keys, field.name), ftp, check, optional)
            yield from _slots(data[field.name], ftp, (*keys, field.name))
    elif origin is tuple:
        (item,) = typing.get_args(tp)[:1]
        for i, value in enumerate(data):
            yield Slot((*keys, i), item)
            yield from _slots(value, item, (*keys, i))
    elif origin is not None and issubclass(origin, Mapping):
        _, item = typing.get_args(tp)
        for key, value in data.items():
            yield Slot((*keys, key), item)
            yield from _slots(value, item, (*keys, key))


def _bad_values(slot: Slot) -> list[Any]:
    """Values that are wrong for *slot* on their own (no cross-field rule involved)."""
    tp = slot.tp
    schema = dict(slot.check.schema) if slot.check else {}
    bad: list[Any] = []
    if tp is int:
        bad = ["3", True, 1.9, [3]]
        if "minimum" in schema:
            bad.append(schema["minimum"] - 1)
        if "const" in schema:
            bad.append(schema["const"] + 1)
    elif tp is float:
        bad = ["3", True, [], {"a": 1}, math.nan, math.inf, -math.inf]
        if "minimum" in schema:
            bad.append(schema["minimum"] - 1)
        if "maximum" in schema:
            bad.append(schema["maximum"] + 0.5)
        if slot.keys[-2:-1] == ("requirements",):
            bad += [-1, 100.5]
        if not slot.optional:
            bad.append(None)
    elif tp is str:
        bad = [3, True, ["x"], {"nl": "x"}]
        if "pattern" in schema and "minLength" not in schema:
            bad.append("Geen Id!")
        if "minLength" in schema:
            bad.append("  ")
        if not slot.optional:
            bad.append(None)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        bad = ["bogus", 7, None] if not slot.optional else ["bogus", 7]
    elif attrs.has(tp):
        bad = ["x", 3, [1]]
    elif typing.get_origin(tp) is tuple:
        bad = ["abc", 3, {"a": 1}]
    else:  # a mapping
        bad = ["abc", [1], 3]
    return bad


def _set(data: Any, keys: tuple[str | int, ...], value: Any) -> None:
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def _get(data: Any, keys: tuple[str | int, ...]) -> Any:
    for key in keys:
        data = data[key]
    return data


def _finite(value: Any) -> bool:
    return not (isinstance(value, float) and not math.isfinite(value))


@given(catalogue=catalogues.filter(lambda c: c.interventions or c.dimensions), data=st.data())
def test_one_corrupted_field_is_rejected_naming_exactly_its_path(
    catalogue: Catalogue, data: st.DataObject
) -> None:
    plain = _data(catalogue)
    slot = data.draw(st.sampled_from(list(_slots(plain, Catalogue))), label="slot")
    value = data.draw(st.sampled_from(_bad_values(slot)), label="value")
    broken = copy.deepcopy(plain)
    _set(broken, slot.keys, value)
    for fmt in FORMATS:
        if fmt == "toml" and (value is None or not _finite(value)):
            continue  # TOML has no null; non-finite TOML is tested below
        assert _problems(_text(broken, fmt), fmt) == [slot.path], fmt
    if _finite(value):  # JSON Schema never sees NaN: JSON cannot hold it
        assert list(SCHEMA.iter_errors(broken)), f"schema accepts {slot.path} = {value!r}"


@given(catalogue=catalogues.filter(lambda c: c.interventions or c.dimensions), data=st.data())
def test_an_unknown_or_missing_key_is_rejected_naming_its_path(
    catalogue: Catalogue, data: st.DataObject
) -> None:
    plain = _data(catalogue)
    tables = [s for s in _slots(plain, Catalogue) if attrs.has(s.tp)]
    slot = data.draw(st.sampled_from(tables), label="table")
    table = _get(plain, slot.keys)
    required = [
        f.name for f in attrs.fields(slot.tp) if f.default is attrs.NOTHING and f.name in table
    ]
    broken = copy.deepcopy(plain)
    if required and data.draw(st.booleans(), label="remove"):
        key = data.draw(st.sampled_from(required), label="key")
        del _get(broken, slot.keys)[key]
    else:
        key = "onbekend"
        _get(broken, slot.keys)[key] = 1
    for fmt in FORMATS:
        assert _problems(_text(broken, fmt), fmt) == [f"{slot.path}.{key}"], fmt
    assert list(SCHEMA.iter_errors(broken))


def test_the_messages_say_what_was_expected() -> None:
    plain = _data(Catalogue(interventions=[_one()]))
    plain["interventions"][0]["duration_weeks"] = "3"
    plain["interventions"][0]["cost"]["eur_once"] = -5
    plain["interventions"][0]["effects"]["interaction"] = "enorm"
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(json.dumps(plain), "json", source="catalogus.json")
    assert str(info.value).splitlines() == [
        "catalogus.json: 3 problems",
        "  interventions[0].effects.interaction: expected one of 'weak', 'moderate',"
        " 'strong', got 'enorm'",
        "  interventions[0].cost.eur_once: expected a number >= 0, got -5.0",
        "  interventions[0].duration_weeks: expected a whole number, got '3'",
    ]


# -- schema and loader agree ----------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(catalogue_schema())


@given(catalogue=catalogues)
def test_every_valid_catalogue_passes_the_schema(catalogue: Catalogue) -> None:
    errors = [e.message for e in SCHEMA.iter_errors(_data(catalogue))]
    assert errors == []


def test_the_builtin_catalogue_passes_the_schema(registry: lc.Registry) -> None:
    plain = _data(Catalogue(interventions=list(registry.interventions.values())))
    assert [e.message for e in SCHEMA.iter_errors(plain)] == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda iv: iv.update(id="geen_namespace"), "interventions[0].id"),
        (lambda iv: iv.update(approaches=[]), "interventions[0].approaches"),
        (lambda iv: iv.update(evidence=[]), "interventions[0].evidence"),
        (lambda iv: iv.update(topics=["Digitaal"]), "interventions[0].topics[0]"),
        (lambda iv: iv.update(effects={"Veiligheid": "weak"}), "interventions[0].effects"),
        (lambda iv: iv.update(requirements={"Safety": 5}), "interventions[0].requirements"),
        (
            lambda iv: iv.update(requirements={"safety": 101}),
            "interventions[0].requirements.safety",
        ),
        (
            lambda iv: iv.update(evidence=[{"level": "rct", "citation": " "}]),
            "interventions[0].evidence[0].citation",
        ),
        (
            lambda iv: iv.update(
                evidence=[
                    {
                        "level": "rct",
                        "citation": "X (2020).",
                        "effect": {"value": 0.3, "ci_low": 0.1},
                    }
                ]
            ),
            "interventions[0].evidence[0].effect.ci_low",
        ),
        (lambda iv: iv.update(id="zorg_x.intervisie\n"), "interventions[0].id"),
    ],
)
def test_cross_field_rules_are_in_the_schema_too(change: Any, path: str) -> None:
    plain = _data(Catalogue(interventions=[_one()]))
    change(plain["interventions"][0])
    assert _problems(json.dumps(plain), "json") == [path]
    assert list(SCHEMA.iter_errors(plain))


def test_explicit_nulls_for_optional_fields_pass_both() -> None:
    plain = _data(Catalogue(interventions=[_one()]))
    plain["interventions"][0]["evidence"] = [{"level": "none_recorded", "year": None}]
    assert list(SCHEMA.iter_errors(plain)) == []
    (iv,) = parse_catalogue(json.dumps(plain), "json").interventions
    assert iv.evidence[0].year is None


def test_the_wrong_format_version_is_rejected_by_both() -> None:
    plain = _data(Catalogue())
    plain["format_version"] = 2
    assert _problems(json.dumps(plain), "json") == ["format_version"]
    assert list(SCHEMA.iter_errors(plain))


# -- safe parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("json", '{"format_version": 1, "format_version": 1}'),
        ("json", '{"interventions": [{"id": "a.b", "id": "a.c"}]}'),
        ("yaml", "format_version: 1\nformat_version: 1\n"),
        ("yaml", "interventions:\n- id: a.b\n  id: a.c\n"),
        ("toml", "format_version = 1\nformat_version = 1\n"),
    ],
)
def test_duplicate_keys_are_rejected(fmt: str, text: str) -> None:
    with pytest.raises(CatalogueError, match=r"(?i)duplicate|defin|overwrite"):
        parse_catalogue(text, fmt)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        'lol: &a ["lol", "lol"]\nlol2: &b [*a, *a, *a]\nlol3: [*b, *b, *b]\n',
    ],
)
def test_yaml_aliases_are_refused(text: str) -> None:
    with pytest.raises(CatalogueError, match="aliases are not allowed"):
        parse_catalogue(text, "yaml")


@pytest.mark.parametrize(
    ("fmt", "number"),
    [
        ("toml", "nan"),
        ("toml", "inf"),
        ("toml", "-inf"),
        ("json", "NaN"),
        ("json", "Infinity"),
        ("json", "-Infinity"),
        ("json", "1e999"),
        ("yaml", ".nan"),
        ("yaml", ".inf"),
        ("yaml", "-.inf"),
    ],
)
def test_non_finite_numbers_are_refused_with_their_path(fmt: str, number: str) -> None:
    text = _formats.dumps(_data(Catalogue(interventions=[_one()])), fmt)
    text = text.replace("100", number, 1)  # cost.eur_once = 100
    assert _problems(text, fmt) == ["interventions[0].cost.eur_once"]


def test_huge_whole_numbers_where_a_number_is_expected_are_refused() -> None:
    plain = _data(Catalogue(interventions=[_one()]))
    plain["interventions"][0]["hours_per_participant"] = 10**400
    assert _problems(json.dumps(plain), "json") == ["interventions[0].hours_per_participant"]


def test_text_over_the_size_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "MAX_BYTES", 64)
    with pytest.raises(CatalogueError, match="exceeds 64"):
        parse_catalogue("# " + "x" * 100 + "\nformat_version = 1\n", "toml")


def test_a_file_over_the_size_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "groot.json"
    path.write_text(json.dumps({"format_version": 1, "x": "y" * 100}))
    monkeypatch.setattr(_formats, "MAX_BYTES", 64)
    monkeypatch.setattr(Path, "read_bytes", _never)
    with pytest.raises(CatalogueError, match="the limit is 64") as info:
        load_catalogue(path)
    assert info.value.source == str(path)


def _never(_self: Path) -> bytes:
    raise AssertionError("the file was read")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogus.toml"
    path.write_bytes(b"format_version = 1\nx = '\xff'\n")
    with pytest.raises(CatalogueError, match="not UTF-8"):
        load_catalogue(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_of_a_file_is_listed_at_once(fmt: str) -> None:
    plain = _data(Catalogue(interventions=[_one(), _one(id="zorg_x.b"), _one(id="zorg_x.c")]))
    plain["interventions"][0]["duration_weeks"] = 0
    plain["interventions"][1]["name"]["nl"] = " "
    plain["interventions"][2]["approaches"] = ["lezen"]
    plain["interventions"][2]["onbekend"] = True
    assert _problems(_text(plain, fmt), fmt) == [
        "interventions[0].duration_weeks",
        "interventions[1].name.nl",
        "interventions[2].approaches[0]",
        "interventions[2].onbekend",
    ]


def test_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    good = _data(Catalogue(interventions=[_one(), _one(id="zorg_x.b")]))
    bad = copy.deepcopy(good)
    bad["interventions"][1]["cost"]["eur_once"] = "veel"
    path = tmp_path / "catalogus.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert [p.location for p in info.value.problems] == ["interventions[1].cost.eur_once"]
    path.write_text(json.dumps(good))
    assert len(load_catalogue(path).interventions) == 2


def test_unknown_formats_and_suffixes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="unknown format 'xml'"):
        parse_catalogue("<x/>", "xml")
    with pytest.raises(CatalogueError, match=r"unknown file type '\.xml'"):
        load_catalogue(tmp_path / "catalogus.xml")
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "ontbreekt.toml")


# -- writing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml", ".yml"])
def test_dump_then_load_gives_the_same_catalogue(tmp_path: Path, suffix: str) -> None:
    catalogue = Catalogue(interventions=[_one(), _one(id="zorg_x.b", source="ë\x7f\u2028")])
    path = tmp_path / f"catalogus{suffix}"
    dump_catalogue(catalogue, path)
    assert load_catalogue(path) == catalogue
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_dump_replaces_a_file_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalogus.toml"
    dump_catalogue(Catalogue(interventions=[_one()]), path)
    before = path.read_bytes()

    def fail(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(CatalogueError, match="cannot write the file: No space left") as info:
        dump_catalogue(Catalogue(interventions=[_one(id="zorg_x.nieuw")]), path)
    assert info.value.source == str(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_dump_to_an_unknown_suffix_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="unknown file type"):
        dump_catalogue(Catalogue(), tmp_path / "catalogus.xml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_dumped_file_starts_with_its_format_version(fmt: str) -> None:
    text = dumps_catalogue(Catalogue(interventions=[_one()]), fmt)
    assert _formats.parse(text, fmt)["format_version"] == 1


def test_a_catalogue_file_holds_crosswalks_checked_like_the_rest() -> None:
    text = """
[[crosswalks]]
id = "zorg_x.reflectie_to_open_culture"
source = "zorg_x.reflectie"
target = "open_culture"
weight = 0.5
rationale = { nl = "Reflectie vraagt openheid.", en = "Reflection needs openness." }
"""
    (cw,) = parse_catalogue(text, "toml").crosswalks
    assert (cw.source, cw.target, cw.weight) == ("zorg_x.reflectie", "open_culture", 0.5)
    assert _problems(text.replace("0.5", "1.5"), "toml") == ["crosswalks[0].weight"]
    assert _problems(text.replace('"open_culture"', '"zorg_x.reflectie"'), "toml") == [
        "crosswalks[0].target"
    ]
