"""Seeded mutations of real-format raw files, made at test time from the demo mirror (never committed)."""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable
from dataclasses import dataclass

Mutation = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def flip_byte(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return b"\xff"
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]


def latin1_byte(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice([b"\xe9", b"\xfc", b"\xa0", b"\x96"]) + data[i:]


def insert_noise(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))) + data[i:]


def delete_range(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 200) :]


def truncate(rng: random.Random, data: bytes) -> bytes:
    """Cut anywhere, usually in the middle of a row."""
    return data[: rng.randrange(len(data) + 1)]


def empty(_rng: random.Random, _data: bytes) -> bytes:
    return b""


def header_only(_rng: random.Random, data: bytes) -> bytes:
    return _lines(data)[0] + b"\n"


def drop_field(rng: random.Random, data: bytes) -> bytes:
    """A row with one field fewer (a separator removed)."""
    lines = _lines(data)
    i = rng.randrange(1, max(len(lines), 2)) if len(lines) > 1 else 0
    line = lines[i]
    for separator in (b",", b";", b"\t", b'":', b"><"):
        if separator in line:
            cut = line.rfind(separator)
            lines[i] = line[:cut] + line[cut + len(separator) :]
            break
    return b"\n".join(lines)


def extra_field(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = lines[i] + b",extra"
    return b"\n".join(lines)


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def garbage_number(rng: random.Random, data: bytes) -> bytes:
    digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
    if not digits:
        return data + b"1"
    i = rng.choice(digits)
    return data[:i] + rng.choice([b"x", b"-", b"1e999", b"NaN", b"99999999999999999999999", b"\x00"]) + data[i + 1 :]


def nul_bytes(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + b"\x00" * rng.randint(1, 16) + data[i:]


def bom_and_crlf(rng: random.Random, data: bytes) -> bytes:
    return (b"\xef\xbb\xbf" if rng.random() < 0.5 else b"") + data.replace(b"\n", b"\r\n")


MUTATIONS: tuple[Mutation, ...] = (
    flip_byte,
    latin1_byte,
    insert_noise,
    delete_range,
    truncate,
    empty,
    header_only,
    drop_field,
    extra_field,
    duplicate_line,
    garbage_number,
    nul_bytes,
    bom_and_crlf,
)


@dataclass(frozen=True)
class Mutant:
    mutation: str
    recompressed: bool
    content: bytes


def mutate(rng: random.Random, content: bytes, extension: str) -> Mutant:
    """One mutation; a gzip file is mutated inside (and recompressed) or, now and then, as raw bytes."""
    mutation = rng.choice(MUTATIONS)
    if extension.endswith("gz") and rng.random() < 0.8:
        return Mutant(mutation.__name__, True, gzip.compress(mutation(rng, gzip.decompress(content)), mtime=0))
    return Mutant(mutation.__name__, False, mutation(rng, content))
