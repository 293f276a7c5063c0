"""String functions: concatenation, substrings, matching, ids and digests."""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
import string as _string
import uuid as _uuid
from functools import lru_cache

from fieldsurvey.forms.xpath.functions.registry import (
    context_string,
    num_arg,
    odk_function,
    str_arg,
    strings_of,
    to_index,
)


@odk_function("string", 0, 1, reads_context=True)
def fn_string(focus, args):
    return str_arg(focus, args[0]) if args else context_string(focus)


@odk_function("concat", 0, None)
def fn_concat(focus, args):
    return "".join(text for arg in args for text in strings_of(arg(focus)))


@odk_function("join", 1, None)
def fn_join(focus, args):
    separator = str_arg(focus, args[0])
    return separator.join(text for arg in args[1:] for text in strings_of(arg(focus)))


@odk_function("substr", 2, 3)
def fn_substr(focus, args):
    text = str_arg(focus, args[0])
    start = to_index(num_arg(focus, args[1]))
    end = to_index(num_arg(focus, args[2])) if len(args) > 2 else len(text)
    if start is None or end is None:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return text[start:end]


@odk_function("substring", 2, 3)
def fn_substring(focus, args):
    # XPath 1.0: 1-based, positions rounded, characters p with start <= p < start + length.
    text = str_arg(focus, args[0])
    start = _xpath_round(num_arg(focus, args[1]))
    end = start + _xpath_round(num_arg(focus, args[2])) if len(args) > 2 else math.inf
    if math.isnan(start) or math.isnan(end):
        return ""
    return "".join(ch for pos, ch in enumerate(text, 1) if start <= pos < end)


def _xpath_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


@odk_function("substring-before", 2)
def fn_substring_before(focus, args):
    text, sep = str_arg(focus, args[0]), str_arg(focus, args[1])
    index = text.find(sep)
    return text[:index] if index >= 0 else ""


@odk_function("substring-after", 2)
def fn_substring_after(focus, args):
    text, sep = str_arg(focus, args[0]), str_arg(focus, args[1])
    index = text.find(sep)
    return text[index + len(sep) :] if index >= 0 else ""


@odk_function("string-length", 0, 1, reads_context=True)
def fn_string_length(focus, args):
    return float(len(str_arg(focus, args[0]) if args else context_string(focus)))


@odk_function("normalize-space", 0, 1, reads_context=True)
def fn_normalize_space(focus, args):
    text = str_arg(focus, args[0]) if args else context_string(focus)
    return " ".join(text.split())


@odk_function("contains", 2)
def fn_contains(focus, args):
    return str_arg(focus, args[1]) in str_arg(focus, args[0])


@odk_function("starts-with", 2)
def fn_starts_with(focus, args):
    return str_arg(focus, args[0]).startswith(str_arg(focus, args[1]))


@odk_function("ends-with", 2)
def fn_ends_with(focus, args):
    return str_arg(focus, args[0]).endswith(str_arg(focus, args[1]))


@odk_function("translate", 3)
def fn_translate(focus, args):
    text, source, target = (str_arg(focus, arg) for arg in args)
    table: dict[int, int | None] = {}
    for index, char in enumerate(source):
        # The first occurrence of a character in `source` wins (XPath 1.0).
        table.setdefault(ord(char), ord(target[index]) if index < len(target) else None)
    return text.translate(table)


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


@odk_function("regex", 2)
def fn_regex(focus, args):
    # Like ODK Collect and Enketo: true when the pattern is found in the value, so anchor
    # with ^...$ for a whole-value match. A pattern that does not compile matches nothing.
    compiled = _regex(str_arg(focus, args[1]))
    return bool(compiled and compiled.search(str_arg(focus, args[0])))


_UUID_CHARS = _string.ascii_letters + _string.digits


@odk_function("uuid", 0, 1)
def fn_uuid(focus, args):
    rng = focus.ctx.rng
    if not args:
        return str(_uuid.UUID(int=rng.getrandbits(128), version=4))
    length = to_index(num_arg(focus, args[0])) or 0
    return "".join(rng.choice(_UUID_CHARS) for _ in range(max(0, length)))


@odk_function("digest", 2, 3)
def fn_digest(focus, args):
    data = str_arg(focus, args[0]).encode("utf-8")
    algorithm = str_arg(focus, args[1]).upper().replace("-", "")
    encoding = str_arg(focus, args[2]).lower() if len(args) > 2 else "base64"
    names = {
        "MD5": "md5",
        "SHA1": "sha1",
        "SHA256": "sha256",
        "SHA384": "sha384",
        "SHA512": "sha512",
    }
    if algorithm not in names:
        return ""
    digest = hashlib.new(names[algorithm], data).digest()
    if encoding == "hex":
        return digest.hex()
    return base64.b64encode(digest).decode("ascii")


@odk_function("base64-decode", 1)
def fn_base64_decode(focus, args):
    try:
        return base64.b64decode(str_arg(focus, args[0]), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
