"""Key pairs of the site actors and the instance actor: 2048-bit RSA (what every fediverse
server verifies), generated on first use and kept in the database, never in code."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from .models import KeyPair


def generate() -> tuple[str, str]:
    """A new key pair as (public PEM, private PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return public_pem, private_pem


def key_pair(site=None) -> KeyPair:
    """The site's key pair (the instance actor's without a site), made when first asked."""
    existing = KeyPair.objects.filter(site=site).first()
    if existing is not None:
        return existing
    public_pem, private_pem = generate()
    try:
        with transaction.atomic():
            return KeyPair.objects.create(
                site=site, public_key_pem=public_pem, private_key_pem=private_pem
            )
    except IntegrityError:  # another worker made it at the same moment: use theirs
        return KeyPair.objects.get(site=site)


def private_key(pair: KeyPair):
    return serialization.load_pem_private_key(pair.private_key_pem.encode(), password=None)


def public_key(pem: str):
    return serialization.load_pem_public_key(pem.encode())
