"""Properties of compute_code_hash: stable, order-free, sensitive, unambiguous."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, strategies as st

from dagy.domain.code_hash import compute_code_hash

paths = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
contents = st.binary(max_size=64)
sources_st = st.dictionaries(paths, contents, max_size=6)
specs = st.text(max_size=60)


def _hex(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


@given(specs, sources_st)
def test_deterministic_hex_sha256(spec: str, sources: dict[str, bytes]) -> None:
    first = compute_code_hash(spec, sources)
    assert _hex(first)
    assert compute_code_hash(spec, dict(sources)) == first


@given(specs, sources_st, st.randoms(use_true_random=False))
def test_independent_of_insertion_order(spec, sources, rnd) -> None:
    items = list(sources.items())
    rnd.shuffle(items)
    assert compute_code_hash(spec, dict(items)) == compute_code_hash(spec, sources)
    assert compute_code_hash(spec, dict(reversed(items))) == compute_code_hash(spec, sources)


@given(specs, sources_st.filter(bool), st.data())
def test_changes_when_any_source_byte_changes(spec, sources, data) -> None:
    path = data.draw(st.sampled_from(sorted(sources)))
    content = bytearray(sources[path])
    if content:
        index = data.draw(st.integers(0, len(content) - 1))
        content[index] = (content[index] + data.draw(st.integers(1, 255))) % 256
    else:
        content = bytearray(b"\x00")
    changed = {**sources, path: bytes(content)}
    assert compute_code_hash(spec, changed) != compute_code_hash(spec, sources)


@given(specs, sources_st, st.data())
def test_changes_when_spec_changes(spec, sources, data) -> None:
    other = data.draw(specs.filter(lambda s: s != spec))
    assert compute_code_hash(other, sources) != compute_code_hash(spec, sources)


@given(specs, sources_st, paths, contents)
def test_adding_or_renaming_a_file_changes_hash(spec, sources, path, content) -> None:
    assume(path not in sources)
    base = compute_code_hash(spec, sources)
    assert compute_code_hash(spec, {**sources, path: content}) != base
    if sources:
        old = sorted(sources)[0]
        renamed = {k: v for k, v in sources.items() if k != old}
        renamed[path] = sources[old]
        assert compute_code_hash(spec, renamed) != base


@given(st.text(min_size=1, max_size=10), st.binary(min_size=1, max_size=10), st.data())
def test_path_content_boundary_does_not_collide(path, content, data) -> None:
    """Moving bytes across the path/content boundary must change the hash."""
    raw = path.encode("utf-8") + content
    cut = data.draw(st.integers(0, len(raw)))
    try:
        other_path = raw[:cut].decode("utf-8")
    except UnicodeDecodeError:
        other_path = None
    assume(other_path is not None and other_path != path)
    moved = {other_path: raw[cut:]}
    assert compute_code_hash("{}", moved) != compute_code_hash("{}", {path: content})


@given(st.lists(st.tuples(paths, contents), min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_file_concatenation_does_not_collide(files) -> None:
    """Splitting one file's content into the next file cannot mimic another set."""
    sources = dict(files)
    merged = dict(files[:1])
    merged[files[0][0]] = b"".join(c for _, c in files)
    assume(len(files) > 1)
    assert compute_code_hash("", merged) != compute_code_hash("", sources)


@given(specs, sources_st)
def test_spec_and_sources_do_not_blur(spec, sources) -> None:
    """Text moved from the spec into a file (or back) is a different input."""
    assume(spec)
    as_file = {**sources, spec: b""}
    assume(len(as_file) > len(sources))
    assert compute_code_hash("", as_file) != compute_code_hash(spec, sources)


def test_known_vectors_pin_the_format() -> None:
    """Changing the encoding would silently invalidate every stored build id."""

    def field(data: bytes) -> bytes:
        return len(data).to_bytes(8, "big") + data

    spec = '{"name":"f"}'
    sources = {"pkg/__init__.py": b"", "my_flows.py": b"print(1)\n"}
    stream = field(b"dagy-code-hash-v1") + field(spec.encode()) + (2).to_bytes(8, "big")
    for path in sorted(sources):
        stream += field(path.encode()) + field(sources[path])
    expected = hashlib.sha256(stream).hexdigest()
    assert expected == "465358d43ba00a2c6914e6bf3181b9cdea62c895578edc0ba0df5755333ec33c"
    assert compute_code_hash(spec, sources) == expected
    assert compute_code_hash("", {}) == (
        "1f2c08dbdff97a768c25e4be7649c966562330e34a8f6fda7bb4dcd9eb772a82")
    assert compute_code_hash("ab", {}) != compute_code_hash("a", {"b": b""})
    assert compute_code_hash("", {"ab": b"c"}) != compute_code_hash("", {"a": b"bc"})
    assert compute_code_hash("", {"a": b"", "b": b""}) != compute_code_hash("", {"a": b"b"})


def test_rejects_text_content() -> None:
    with pytest.raises(TypeError, match="must be bytes"):
        compute_code_hash("", {"a.py": "print(1)"})  # type: ignore[dict-item]
