"""Webhook URLs and secrets, encrypted before they reach the store.

A webhook must sign or address every delivery with its secret, so the secret cannot be stored
hashed the way sign-in tokens are (graphbrm/tokens.py). It is sealed instead with a key that is
not in the graph: `GRAPHBRM_WEBHOOK_KEY`, or a random key in `webhook.key` in the data dir. A
data-team query (`POST /api/v1/query`) or a backup then holds only ciphertext. Robot URLs are
sealed too: a WeCom or DingTalk robot URL carries its access key.

The cipher is HMAC-SHA256 in counter mode with an encrypt-then-MAC tag (standard library only):
`v1:` + base64(nonce ‖ ciphertext ‖ tag).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from graphbrm.errors import GraphbrmError
from graphbrm.settings import Settings

KEY_FILE = "webhook.key"
VERSION = "v1:"
NONCE, TAG = 16, 16


class SealBroken(GraphbrmError):
    """A sealed value does not open with this key (another key, or tampered with)."""


def key_for(settings: Settings) -> bytes:
    """The sealing key: from the setting, else from (or new in) the data dir's key file."""
    given = settings.webhook_key.get_secret_value()
    if given:
        return hashlib.sha256(given.encode("utf-8")).digest()
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: of two processes creating it at once, one writes and both read its key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def seal(plain: str, key: bytes) -> str:
    """The sealed form of `plain`."""
    nonce = secrets.token_bytes(NONCE)
    data = plain.encode("utf-8")
    body = bytes(a ^ b for a, b in zip(data, _stream(key, nonce, len(data)), strict=True))
    return VERSION + base64.b64encode(nonce + body + _tag(key, nonce + body)).decode("ascii")


def unseal(sealed: str, key: bytes) -> str:
    """The value `seal` sealed, or SealBroken."""
    if not sealed.startswith(VERSION):
        raise SealBroken("not a sealed value")
    raw = base64.b64decode(sealed[len(VERSION):])
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    if len(raw) < NONCE + TAG or not hmac.compare_digest(tag, _tag(key, nonce + body)):
        raise SealBroken("the webhook key does not open this value: was GRAPHBRM_WEBHOOK_KEY "
                         "or webhook.key changed?")
    plain = bytes(a ^ b for a, b in zip(body, _stream(key, nonce, len(body)), strict=True))
    return plain.decode("utf-8")


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    enc = hmac.new(key, b"encrypt", hashlib.sha256).digest()
    blocks = (hmac.new(enc, nonce + n.to_bytes(8, "big"), hashlib.sha256).digest()
              for n in range((length + 31) // 32))
    return b"".join(blocks)[:length]


def _tag(key: bytes, data: bytes) -> bytes:
    mac = hmac.new(key, b"authenticate", hashlib.sha256).digest()
    return hmac.new(mac, data, hashlib.sha256).digest()[:TAG]
