"""The pseudonymous client identity (DOMAIN.md §10, §17): one `persoon` per client, whatever
the provider, so the CCE rule follows the client (R §10: "voor iedere cliënt met meerzorg").

The BSN is never a key (it proves a format only, and it can change): a persoon is keyed by
HMAC-SHA256 of the BSN under a secret of the zorgkantoor (`MEERZORG_PERSOON_SLEUTEL`), so the
pseudonym cannot be turned back into a BSN by trying the 10^9 numbers without that secret.
The pseudonym is case data like the BSN: it stays in the case database, never in Prefect,
a log or a message. Pure: the caller passes the key."""

from __future__ import annotations

import hashlib
import hmac
import re

_BSN = re.compile(r"\d{9}")


def pseudoniem(bsn: str, sleutel: bytes) -> str:
    """The persoon's key: HMAC-SHA256 of the BSN (9 digits) as 64 hex characters."""
    if not sleutel:
        raise ValueError("geen persoonssleutel ingesteld")
    if not _BSN.fullmatch(bsn or ""):
        raise ValueError("een BSN bestaat uit negen cijfers")
    return hmac.new(sleutel, bsn.encode("ascii"), hashlib.sha256).hexdigest()
