"""OpenSSH public keys: the one-line form (``ssh-rsa AAAA... comment``) and the wire-format
blob inside it, read strictly, so that what is not a key is never taken for one.

The blob is a sequence of SSH strings and mpints (RFC 4251 §5: a 4-byte
big-endian length, then that many bytes; an ``mpint`` is two's complement, positive
values without a needless leading zero byte). Per key type (RFC 4253 §6.6, RFC 8709 §4,
RFC 5656 §3.1):

- ``ssh-rsa``: ``string "ssh-rsa"``, ``mpint e``, ``mpint n``; here ``e`` odd and at least 3,
  ``n`` odd and of 1,024 to 16,384 bits (OpenSSH's own bounds for an RSA key);
- ``ssh-ed25519``: ``string "ssh-ed25519"``, ``string`` of the 32-byte public key;
- ``ecdsa-sha2-nistp256/384/521``: ``string`` type, ``string`` curve name (``nistp256``...,
  which must be the type's), ``string Q``: an uncompressed point (``0x04 || X || Y``) that
  lies on the curve.

Nothing may follow the last field. A line's type must be the blob's. Pure functions, no
state: ``parse`` returns the key or raises ``BadKey`` saying what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass

RSA = "ssh-rsa"
ED25519 = "ssh-ed25519"
#: The NIST curves of RFC 5656 (FIPS 186-4, D.1.2): prime p, coefficient b (a is -3), and
#: the byte length of a coordinate.
_CURVES: dict[str, tuple[int, int, int]] = {
    "nistp256": (
        2**256 - 2**224 + 2**192 + 2**96 - 1,
        0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        32,
    ),
    "nistp384": (
        2**384 - 2**128 - 2**96 + 2**32 - 1,
        0xB3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF,
        48,
    ),
    "nistp521": (
        2**521 - 1,
        0x51953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00,
        66,
    ),
}
KEY_TYPES = (RSA, ED25519, *(f"ecdsa-sha2-{curve}" for curve in _CURVES))
_RSA_BITS = (1024, 16384)


class BadKey(ValueError):
    """What is not a well-formed OpenSSH public key, and why (the message completes
    "the public key ...")."""


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_type: str
    #: The wire-format blob: what fingerprints are computed over.
    blob: bytes
    bits: int


class _Reader:
    def __init__(self, blob: bytes) -> None:
        self.blob, self.at = blob, 0

    def string(self, what: str) -> bytes:
        if len(self.blob) - self.at < 4:
            raise BadKey(f"is truncated: the blob ends before the length of its {what}")
        (length,) = struct.unpack_from(">I", self.blob, self.at)
        start, self.at = self.at + 4, self.at + 4 + length
        if self.at > len(self.blob):
            raise BadKey(f"is truncated: its {what} claims {length} bytes, {len(self.blob) - start} remain")
        return self.blob[start : self.at]

    def mpint(self, what: str) -> int:
        data = self.string(what)
        if data and data[0] & 0x80:
            raise BadKey(f"has a negative {what}")
        if data[:1] == b"\x00" and (len(data) == 1 or not data[1] & 0x80):
            raise BadKey(f"has a {what} with a needless leading zero byte")
        return int.from_bytes(data, "big")

    def end(self) -> None:
        if self.at != len(self.blob):
            raise BadKey(f"has {len(self.blob) - self.at} bytes after its last field")


def _rsa(reader: _Reader) -> int:
    exponent, modulus = reader.mpint("RSA exponent e"), reader.mpint("RSA modulus n")
    if exponent < 3 or exponent % 2 == 0:
        raise BadKey(f"has an RSA exponent e of {exponent}: it must be odd and at least 3")
    bits = modulus.bit_length()
    if not _RSA_BITS[0] <= bits <= _RSA_BITS[1]:
        raise BadKey(f"has an RSA modulus of {bits} bits: it must have {_RSA_BITS[0]} to {_RSA_BITS[1]}")
    if modulus % 2 == 0:
        raise BadKey("has an even RSA modulus: a product of two odd primes is odd")
    return bits


def _ed25519(reader: _Reader) -> int:
    if len(reader.string("Ed25519 key")) != 32:
        raise BadKey("has an Ed25519 key that is not 32 bytes long")
    return 256


def _ecdsa(reader: _Reader, curve: str) -> int:
    named = reader.string("curve name")
    if named != curve.encode():
        raise BadKey(f"is of the type ecdsa-sha2-{curve} but names the curve {named!r}")
    prime, b, size = _CURVES[curve]
    point = reader.string("curve point")
    if len(point) != 1 + 2 * size or point[0] != 4:
        raise BadKey(f"has a curve point that is not an uncompressed {curve} point ({1 + 2 * size} bytes, 0x04 first)")
    x, y = int.from_bytes(point[1 : 1 + size], "big"), int.from_bytes(point[1 + size :], "big")
    if x >= prime or y >= prime or (y * y - (x * x * x - 3 * x + b)) % prime:
        raise BadKey(f"has a point that is not on the curve {curve}")
    return prime.bit_length()


def parse_blob(blob: bytes) -> PublicKey:
    """The key a wire-format blob holds, or ``BadKey``."""
    reader = _Reader(blob)
    try:
        key_type = reader.string("key type").decode("ascii")
    except UnicodeDecodeError:
        raise BadKey("does not begin with a key type") from None
    if key_type == RSA:
        bits = _rsa(reader)
    elif key_type == ED25519:
        bits = _ed25519(reader)
    elif key_type.startswith("ecdsa-sha2-") and key_type[len("ecdsa-sha2-") :] in _CURVES:
        bits = _ecdsa(reader, key_type[len("ecdsa-sha2-") :])
    else:
        raise BadKey(f"is of an unknown type {key_type[:40]!r} (known: {', '.join(KEY_TYPES)})")
    reader.end()
    return PublicKey(key_type, blob, bits)


def parse(text: str) -> PublicKey:
    """The key of an OpenSSH line ``<type> <base64> [comment]``, or of its base64 part alone
    (a blob's base64 begins ``AAAA``: its first field's length is under 2**24), or ``BadKey``."""
    fields = text.strip().split()
    if not fields:
        raise BadKey("is empty")
    named = None if fields[0].startswith("AAAA") else fields[0]
    encoded = fields[0] if named is None else (fields[1] if len(fields) > 1 else "")
    if not encoded:
        raise BadKey(f"names the type {named[:40]!r} but has no base64 blob after it" if named else "is empty")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise BadKey("is not valid base64") from None
    key = parse_blob(blob)
    if named is not None and named != key.key_type:
        raise BadKey(f"names the type {named[:40]!r}, but its blob holds an {key.key_type} key")
    return key
