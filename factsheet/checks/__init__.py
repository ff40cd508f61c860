"""Stage 2, checks: the trust checks run on every composed edition before anything is
written: quotes against archived copies, numbers, provenance, consistency, plain language
and reading level."""
