"""Privacy (RGPD): a member's export and erasure across every feature, from one registry."""
