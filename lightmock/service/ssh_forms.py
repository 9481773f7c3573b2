"""The SSH keys, certificates and fingerprints the mock hands out: well-formed, random (what
the mock reads, ImportKeyPair's keys, is ``ssh_keys``).

Key pairs (CreateKeyPair, DownloadDefaultKeyPair), an instance's temporary access
(GetInstanceAccessDetails) and its host keys are written in OpenSSH's wire forms (RFC 4253
§6.6 key blobs, OpenSSH's PROTOCOL.certkeys for the certificate), so that a program that
parses them can; the numbers in them are random, so no SSH server would take them, and none
needs to in a mock. Fingerprints are computed from the blobs as OpenSSH computes them
(``SHA256:`` and ``SHA1:`` with unpadded base64; MD5 in colon-separated hex, as the aws-cli
key pair examples show).
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct

RSA = "ssh-rsa"
ED25519 = "ssh-ed25519"
ECDSA = "ecdsa-sha2-nistp256"
RSA_CERTIFICATE = "ssh-rsa-cert-v01@openssh.com"


def ssh_string(data: bytes) -> bytes:
    """A ``string`` of the SSH wire format: its length, then its bytes."""
    return struct.pack(">I", len(data)) + data


#: What the certificate of the aws-cli ``get-instance-access-details`` example permits, as
#: the certificate's ``extensions`` field (each a name and empty data).
_EXTENSIONS = ssh_string(
    b"".join(
        ssh_string(name.encode()) + ssh_string(b"")
        for name in (
            "permit-X11-forwarding",
            "permit-agent-forwarding",
            "permit-port-forwarding",
            "permit-pty",
            "permit-user-rc",
        )
    )
)
_CERTIFICATE_TYPE = ssh_string(RSA_CERTIFICATE.encode())
_RSA_TYPE = ssh_string(RSA.encode())
_EXPONENT = ssh_string(b"\x01\x00\x01")
_EMPTY = ssh_string(b"")


def _modulus(random: bytes) -> bytes:
    """A 2048-bit-shaped modulus as an ``mpint``, from 255 random bytes: odd, as a product
    of two odd primes is, so that ImportKeyPair (``ssh_keys``) takes the keys the mock makes."""
    return ssh_string(b"\x00\xc1" + random[:-1] + bytes([random[-1] | 1]))


def rsa_public_blob(random: bytes | None = None) -> bytes:
    """An ``ssh-rsa`` public key blob (from 255 random bytes, fresh ones by default)."""
    return _RSA_TYPE + _EXPONENT + _modulus(os.urandom(255) if random is None else random)


def host_key_blobs() -> dict[str, bytes]:
    """A host's three public keys, by algorithm, as the example's instance has them."""
    return {
        RSA: rsa_public_blob(),
        ED25519: ssh_string(ED25519.encode()) + ssh_string(os.urandom(32)),
        ECDSA: ssh_string(ECDSA.encode()) + ssh_string(b"nistp256") + ssh_string(b"\x04" + os.urandom(64)),
    }


def public_line(blob: bytes) -> str:
    """``ssh-rsa AAAA...``: a blob as an ``authorized_keys`` line (without a comment)."""
    (length,) = struct.unpack(">I", blob[:4])
    return f"{blob[4 : 4 + length].decode('ascii')} {base64.b64encode(blob).decode('ascii')}"


def rsa_private_pem() -> str:
    """A random PEM-armoured "RSA private key" of a 2048-bit key's size (64-character lines)."""
    encoded = base64.b64encode(os.urandom(1191)).decode("ascii")
    lines = map(encoded.__getitem__, map(slice, range(0, len(encoded), 64), range(64, len(encoded) + 64, 64)))
    return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"


def md5_fingerprint(blob: bytes) -> str:
    """``aa:bb:...``: the MD5 of a blob in colon-separated hex (the key pairs' form)."""
    return colon_hex(hashlib.md5(blob, usedforsecurity=False).digest())


def colon_hex(digest: bytes) -> str:
    return ":".join(f"{byte:02x}" for byte in digest)


def openssh_fingerprints(blob: bytes) -> tuple[str, str]:
    """``("SHA1:...", "SHA256:...")`` of a blob, as ``ssh-keygen -l`` writes them."""

    def unpadded(digest: bytes) -> str:
        return base64.b64encode(digest).decode("ascii").rstrip("=")

    return (
        "SHA1:" + unpadded(hashlib.sha1(blob, usedforsecurity=False).digest()),
        "SHA256:" + unpadded(hashlib.sha256(blob).digest()),
    )


def user_certificate(key_id: str, principal: str, valid_after: int, valid_before: int) -> str:
    """An OpenSSH user certificate for a fresh RSA key, for ``principal``, valid from
    ``valid_after`` to ``valid_before`` (epoch seconds), signed by a random "CA"."""
    random = os.urandom(32 + 255 + 8 + 255 + 256)  # nonce, modulus, serial, CA modulus, signature
    blob = b"".join(
        (
            _CERTIFICATE_TYPE,
            ssh_string(random[:32]),  # nonce
            _EXPONENT,
            _modulus(random[32:287]),
            struct.pack(">Q", int.from_bytes(random[287:295], "big") >> 1),  # serial
            struct.pack(">I", 1),  # a user certificate
            ssh_string(key_id.encode()),
            ssh_string(ssh_string(principal.encode())),
            struct.pack(">QQ", valid_after, valid_before),
            _EMPTY,  # critical options
            _EXTENSIONS,
            _EMPTY,  # reserved
            ssh_string(rsa_public_blob(random[295:550])),  # the signing key
            ssh_string(_RSA_TYPE + ssh_string(random[550:])),
        )
    )
    return f"{RSA_CERTIFICATE} {base64.b64encode(blob).decode('ascii')}"
